using Appliance.Load.Cli;
using Appliance.Load.Hostile;
using Appliance.Load.Report;
using Appliance.Load.Run;

var options = LoadOptions.Parse(args);
if (options.Help)
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}
if (options.Error is not null)
{
    await Console.Error.WriteLineAsync($"appliance-load: {options.Error} (see --help)").ConfigureAwait(false);
    return 2;
}

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

var run = new LoadRun(options);
var completed = await run.ExecuteAsync().ConfigureAwait(false);
var report = LoadSummary.From(run, completed);
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
