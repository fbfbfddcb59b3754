using Appliance.Load.Cli;
using Appliance.Load.Hostile;
using Appliance.Load.Publish;
using Appliance.Load.Report;
using Appliance.Load.Run;

var options = LoadOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(LoadUsage.Text);
    return 0;
}
if (options.Error is not null)
{
    await Console.Error.WriteLineAsync($"appliance-load: {options.Error} (see --help)").ConfigureAwait(false);
    return 2;
}

Appliance.Load.Targets.LoadConnector.Trust = options.Trust;
Appliance.Load.Targets.LoadConnector.Sources = options.SourceAddresses;

if (options.Hostile > 0)
{
    var attack = new HostileRun(options);
    var hostile = HostileSummary.From(attack, await attack.ExecuteAsync().ConfigureAwait(false));
    if (options.JsonFile is not null)
    {
        await File.WriteAllTextAsync(options.JsonFile, HostileReport.Json(hostile)).ConfigureAwait(false);
    }
    Console.Write(options.Json ? HostileReport.Json(hostile) : HostileReport.Text(hostile));
    return hostile.ExitCode;
}

await using var publisher = await PublisherSession.StartAsync(options).ConfigureAwait(false);
if (publisher is { Failed: { } publishError })
{
    await Console.Error.WriteLineAsync($"appliance-load: {publishError}").ConfigureAwait(false);
    return publisher.ExitCode;
}

var run = new LoadRun(options);
var completed = options.Urls.Count == 0
    ? await publisher!.PublishOnlyAsync(TimeSpan.FromSeconds(options.DurationSeconds)).ConfigureAwait(false)
    : await run.ExecuteAsync().ConfigureAwait(false);
var report = LoadSummary.From(run, completed, publisher is null ? null : await publisher.StopAsync().ConfigureAwait(false));
if (options.JsonFile is not null)
{
    await File.WriteAllTextAsync(options.JsonFile, JsonReport.Render(report)).ConfigureAwait(false);
}
if (options.ViewersCsv is not null)
{
    await File.WriteAllTextAsync(options.ViewersCsv, ViewerCsv.Render(run)).ConfigureAwait(false);
}
Console.Write(options.Json ? JsonReport.Render(report) : TextReport.Render(report));
return report.ExitCode;
