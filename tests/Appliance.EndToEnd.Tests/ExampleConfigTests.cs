using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>
/// Every config in examples/ is one the daemon accepts as it stands. The folder is enumerated,
/// so a new example is checked without touching this test.
/// </summary>
public sealed class ExampleConfigTests
{
    private static string Examples => Path.Combine(RepoPaths.Root, "examples");

    [Fact]
    public async Task Check_config_accepts_every_example_config()
    {
        var files = Directory.GetFiles(Examples).Where(f => Path.GetFileName(f) != "README.md").Order(StringComparer.Ordinal).ToList();
        var configs = files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)).ToList();
        var problems = new List<string>();

        foreach (var config in configs)
        {
            var check = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--check-config", config);
            if (check.ExitCode != 0)
            {
                problems.Add($"{Path.GetFileName(config)}: exit {check.ExitCode}\n{check.Stdout}{check.Stderr}");
            }
        }

        Assert.True(configs.Count > 0, $"no example configs (*.json) in {Examples}");
        Assert.Equal(files, configs);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_examples_readme_names_every_example_config()
    {
        var readme = File.ReadAllText(Path.Combine(Examples, "README.md"));

        foreach (var config in Directory.GetFiles(Examples, "*.json"))
        {
            Assert.Contains($"`{Path.GetFileName(config)}`", readme, StringComparison.Ordinal);
        }
    }
}
