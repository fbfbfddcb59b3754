using System.Globalization;
using Appliance.Load.Targets;
using Appliance.Transport.Tls;

namespace Appliance.Load.Cli;

/// <summary>Reads the arguments one by one; values are checked here, the rules between options in LoadOptions.Rules.cs.</summary>
internal sealed partial class LoadOptions
{
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var urls = new List<string>();
        string? publish = null;
        var given = new HashSet<string>();
        for (var i = 0; i < args.Length && options.Error is null; i++)
        {
            var arg = args[i];
            given.Add(arg);
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (arg)
            {
                case "--url":
                    if (Value() is { } url)
                    {
                        urls.Add(url);
                    }
                    else
                    {
                        options.Error = "--url needs a value";
                    }
                    break;
                case "--viewers":
                    options.Viewers = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--duration":
                    options.DurationSeconds = options.Number(arg, Value(), 0.1, 86_400);
                    break;
                case "--ramp":
                    options.RampPerSecond = options.Number(arg, Value(), 0.1, 1_000_000);
                    break;
                case "--timeout":
                    options.Timeout = TimeSpan.FromSeconds(options.Number(arg, Value(), 0.1, 3600));
                    break;
                case "--json":
                    options.Json = true;
                    break;
                case "--json-file":
                    options.JsonFile = Value();
                    options.Error ??= options.JsonFile is null ? "--json-file needs a value" : null;
                    break;
                case "--viewers-csv":
                    options.ViewersCsv = Value();
                    options.Error ??= options.ViewersCsv is null ? "--viewers-csv needs a value" : null;
                    break;
                case "--progress":
                    options.Progress = true;
                    break;
                case "--allow-remote":
                    options.AllowRemote = true;
                    break;
                case "--hostile":
                    options.Hostile = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--hostile-concurrency":
                    options.HostileConcurrency = (int)options.Number(arg, Value(), 1, 100_000);
                    break;
                case "--hostile-wait":
                    options.HostileWait = TimeSpan.FromSeconds(options.Number(arg, Value(), 0.1, 3600));
                    break;
                case "--churn":
                    options.Churn = (int)options.Number(arg, Value(), 1, 1_000_000);
                    break;
                case "--seed":
                    options.Seed = (int)options.Number(arg, Value(), 0, int.MaxValue);
                    break;
                case "--publish":
                    publish = Value();
                    options.Error ??= publish is null ? "--publish needs a value" : null;
                    break;
                case "--source":
                    options.Source = Value();
                    options.Error ??= options.Source is null ? "--source needs a value" : null;
                    break;
                case "--publish-start":
                    options.PublishStartMs = (long)(options.Number(arg, Value(), 0, 1e9) * 1000);
                    break;
                case "--viewers-after":
                    options.ViewersAfter = TimeSpan.FromSeconds(options.Number(arg, Value(), 0, 3600));
                    break;
                case "--source-addresses":
                    options.ReadSourceAddresses(Value());
                    break;
                case "--stamps":
                    options.Stamps = true;
                    break;
                case "--ca":
                    options.ReadCa(Value());
                    break;
                case "--help" or "-h":
                    options.Help = true;
                    return options;
                default:
                    options.Error = $"unknown option '{arg}'";
                    break;
            }
        }
        options.CheckMode(given);
        if (options.Error is null)
        {
            options.AddPublisher(publish, given);
        }
        if (options.Error is null)
        {
            options.AddUrls(urls);
        }
        return options;
    }

    private void ReadSourceAddresses(string? text)
    {
        if (text is null)
        {
            Error ??= "--source-addresses needs a value";
            return;
        }
        if (!SourceAddresses.TryParse(text, out var addresses, out var problem))
        {
            Error ??= $"--source-addresses {text}: {problem}";
            return;
        }
        SourceAddresses = addresses;
    }

    private void ReadCa(string? path)
    {
        if (path is null)
        {
            Error ??= "--ca needs a value";
            return;
        }
        try
        {
            Trust = new TlsClientTrust(TlsCaFile.Load(path), path, null);
        }
        catch (TlsCertificateException e)
        {
            Error ??= $"--ca {e.Message}";
        }
    }

    private double Number(string name, string? text, double min, double max)
    {
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || double.IsNaN(value) || value < min || value > max)
        {
            Error ??= $"{name} needs a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}";
            return min;
        }
        return value;
    }
}
