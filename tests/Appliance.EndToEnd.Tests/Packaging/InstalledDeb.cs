namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>
/// The built .deb installed with dpkg -i; disposing purges it (whatever the test got to) and
/// removes /run/appliance if the daemon made it, so the machine is left as it was found.
/// </summary>
internal sealed class InstalledDeb : IAsyncDisposable
{
    private const string RunDirectory = "/run/appliance";
    private readonly bool _runDirectoryExisted = Directory.Exists(RunDirectory);

    private InstalledDeb()
    {
    }

    /// <summary>What dpkg -i printed, maintainer scripts included.</summary>
    public string InstallOutput { get; private set; } = "";

    public static async Task<InstalledDeb> InstallAsync()
    {
        var deb = BuiltPackages.Deb;
        var installed = new InstalledDeb();
        try
        {
            var install = (await BuiltPackages.RunAsync("dpkg", "-i", deb)).Succeeded($"dpkg -i {deb}");
            installed.InstallOutput = install.Stdout + install.Stderr;
            return installed;
        }
        catch
        {
            await installed.DisposeAsync();
            throw;
        }
    }

    /// <summary>dpkg's state of the package: "installed", "config-files", or "" once purged.</summary>
    public static async Task<string> StatusAsync()
    {
        var query = await BuiltPackages.RunAsync("dpkg-query", "-W", "-f=${db:Status-Status}", "appliance");
        return query.ExitCode == 0 ? query.Stdout.Trim().Replace("not-installed", "", StringComparison.Ordinal) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (await StatusAsync() != "")
        {
            await BuiltPackages.RunAsync("dpkg", "-P", "appliance");
        }
        if (!_runDirectoryExisted && Directory.Exists(RunDirectory))
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
    }
}
