using Appliance.Load.Targets;

namespace Appliance.Load.Cli;

/// <summary>The rules between options: which go together, which exclude each other, which URLs are allowed.</summary>
internal sealed partial class LoadOptions
{
    /// <summary>Viewer options make no sense in a hostile run, and hostile ones none in a viewer run.</summary>
    private void CheckMode(HashSet<string> given)
    {
        string[] viewerOnly = ["--viewers", "--ramp", "--timeout", "--viewers-csv", "--allow-remote", "--churn", "--ca", "--source-addresses"];
        string[] hostileOnly = ["--hostile-concurrency", "--hostile-wait"];
        string[] publisherOnly = ["--publish", "--source", "--publish-start", "--viewers-after", "--stamps"];
        if (Error is not null)
        {
            return;
        }
        if (Hostile > 0 && viewerOnly.FirstOrDefault(given.Contains) is { } viewerOption)
        {
            Error = viewerOption == "--allow-remote"
                ? "--hostile only goes to loopback addresses; --allow-remote does not apply"
                : $"{viewerOption} does not apply to --hostile (it opens no viewers; run the viewers in another appliance-load)";
        }
        else if (Hostile == 0 && hostileOnly.FirstOrDefault(given.Contains) is { } hostileOption)
        {
            Error = $"{hostileOption} needs --hostile N";
        }
        else if (Hostile == 0 && given.Contains("--seed") && Churn == 0)
        {
            Error = "--seed needs --hostile N or --churn PER_SECOND";
        }
        else if (Churn > Viewers)
        {
            Error = $"--churn {Churn} is more than --viewers {Viewers}: it stops that many viewers each second";
        }
        else if (Hostile > 0 && publisherOnly.FirstOrDefault(given.Contains) is { } publisherOption)
        {
            Error = $"{publisherOption} does not apply to --hostile";
        }
    }

    private void AddPublisher(string? publish, HashSet<string> given)
    {
        if (publish is null)
        {
            Error = new[] { "--source", "--publish-start", "--viewers-after" }.FirstOrDefault(given.Contains) is { } option
                ? $"{option} needs --publish URL"
                : null;
            return;
        }
        if (Source is null)
        {
            Error = "--publish needs --source FILE (an FLV file, as ffmpeg -f flv writes it)";
            return;
        }
        if (!StreamUrl.TryParse(publish, out var url, out var problem) || url.Protocol != StreamProtocol.Rtmp)
        {
            Error = $"--publish {publish}: {(problem.Length > 0 ? problem : "not an rtmp:// URL")}";
            return;
        }
        if (!AllowRemote && !LoopbackPolicy.IsLoopback(url.Host))
        {
            Error = $"--publish {publish}: '{url.Host}' is not a loopback address; load goes to 127.0.0.0/8, ::1 or localhost unless --allow-remote is given";
            return;
        }
        PublishUrl = url;
        Stamps = true;
    }

    private void AddUrls(List<string> urls)
    {
        if (urls.Count == 0 && PublishUrl is not null)
        {
            return;
        }
        if (urls.Count == 0)
        {
            Error = "at least one --url is required";
            return;
        }
        foreach (var text in urls)
        {
            if (!StreamUrl.TryParse(text, out var url, out var problem))
            {
                Error = $"--url {text}: {problem}";
                return;
            }
            if (!AllowRemote && !LoopbackPolicy.IsLoopback(url.Host))
            {
                Error = $"--url {text}: '{url.Host}' is not a loopback address; load goes to 127.0.0.0/8, ::1 or localhost unless --allow-remote is given";
                return;
            }
            if (Hostile > 0 && url.IsTls)
            {
                Error = $"--url {text}: --hostile speaks plain rtmp:// and http:// only";
                return;
            }
            Urls.Add(url);
        }
    }
}
