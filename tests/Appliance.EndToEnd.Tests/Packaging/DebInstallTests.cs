using System.Diagnostics;
using System.Runtime.InteropServices;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>
/// The .deb installed on this machine, as an operator would, and removed again. No systemd is
/// needed: the maintainer scripts only talk to it where it runs. The tests of this class run
/// one at a time (one xunit collection), as each installs and purges the same package.
/// </summary>
public sealed partial class DebInstallTests(ITestOutputHelper output)
{
    private const string Config = "/etc/appliance/appliance.json";
    private const string EnabledLink = "/etc/systemd/system/multi-user.target.wants/appliance.service";

    [PackageFact(PackageNeeds.Install)]
    public async Task Installing_places_files_and_account_says_who_may_publish_removing_keeps_the_config_and_purging_removes_everything()
    {
        await using var installed = await InstalledDeb.InstallAsync();

        foreach (var file in BuiltPackages.CommonFiles.Concat(BuiltPackages.DebDocFiles))
        {
            Assert.True(File.Exists(file), $"{file} is not installed");
        }
        var version = (await BuiltPackages.RunAsync("/usr/bin/applianced", "--version")).Succeeded("applianced --version");
        Assert.Contains(BuiltPackages.Version, version.Stdout, StringComparison.Ordinal);
        var account = (await BuiltPackages.RunAsync("getent", "passwd", "appliance")).Succeeded("getent passwd appliance");
        Assert.EndsWith(":/nonexistent:/usr/sbin/nologin", account.Stdout.Trim(), StringComparison.Ordinal);
        (await BuiltPackages.RunAsync("getent", "group", "appliance")).Succeeded("getent group appliance");
        // The config may hold keys: the service's group reads it, others do not.
        Assert.Equal("root:appliance:640", await StatAsync(Config));
        Assert.Equal("appliance:appliance:750", await StatAsync("/var/log/appliance"));
        Assert.True(Present(EnabledLink), "the unit is not enabled");
        foreach (var line in BuiltPackages.PublishNotice)
        {
            Assert.Contains(line, installed.InstallOutput, StringComparison.Ordinal);
        }

        (await BuiltPackages.RunAsync("dpkg", "-r", "appliance")).Succeeded("dpkg -r appliance");

        Assert.Equal("config-files", await InstalledDeb.StatusAsync());
        Assert.False(File.Exists("/usr/bin/applianced"), "dpkg -r left /usr/bin/applianced");
        Assert.False(File.Exists("/usr/lib/systemd/system/appliance.service"), "dpkg -r left the unit");
        Assert.True(File.Exists(Config), "dpkg -r removed the conffile, which only a purge may");
        Assert.False(Directory.Exists("/usr/share/appliance/player"), "dpkg -r left the player page's scripts");

        (await BuiltPackages.RunAsync("dpkg", "-P", "appliance")).Succeeded("dpkg -P appliance");

        Assert.Equal("", await InstalledDeb.StatusAsync());
        Assert.False(Directory.Exists("/etc/appliance"), "dpkg -P left /etc/appliance");
        Assert.False(Directory.Exists("/var/log/appliance"), "dpkg -P left /var/log/appliance");
        Assert.NotEqual(0, (await BuiltPackages.RunAsync("getent", "passwd", "appliance")).ExitCode);
        Assert.NotEqual(0, (await BuiltPackages.RunAsync("getent", "group", "appliance")).ExitCode);
        Assert.False(Present(EnabledLink), "dpkg -P left the unit enabled");
        var overrides = await BuiltPackages.RunAsync("dpkg-statoverride", "--list", Config);
        Assert.True(overrides.ExitCode != 0, $"dpkg -P left a stat override: {overrides.Stdout}");
    }

    /// <summary>Run while installed: verify also checks the ExecStart binary and the man pages the unit names.</summary>
    [PackageFact(PackageNeeds.Install | PackageNeeds.SystemdAnalyze)]
    public async Task The_installed_unit_passes_systemd_analyze_verify()
    {
        await using var installed = await InstalledDeb.InstallAsync();

        var verify = await BuiltPackages.RunAsync("systemd-analyze", "verify", "/usr/lib/systemd/system/appliance.service");

        // verify exits 0 on some problems (an unknown key is only "ignoring"), so its output must be empty too.
        Assert.True(verify.ExitCode == 0 && (verify.Stdout + verify.Stderr).Trim().Length == 0,
            $"systemd-analyze verify exited {verify.ExitCode}:\n{verify.Stdout}{verify.Stderr}");
    }

    /// <summary>
    /// The installed binary with the installed config, started by hand as systemd would (without
    /// systemd, so as root): the config must be accepted as shipped, so this test runs it
    /// unchanged, on its fixed ports 1935, 8080 and 9135 (skipped when they are taken; the other
    /// end-to-end tests listen on ports the kernel picks, which are never these).
    /// </summary>
    [PackageFact(PackageNeeds.Install | PackageNeeds.DefaultPorts)]
    public async Task The_installed_daemon_runs_on_the_installed_config_and_appliancectl_answers()
    {
        await using var installed = await InstalledDeb.InstallAsync();
        if (Directory.Exists("/run/systemd/system"))
        {
            // Where systemd runs, postinst started the service on these ports; this test runs the daemon itself.
            (await BuiltPackages.RunAsync("systemctl", "stop", "appliance.service")).Succeeded("systemctl stop appliance");
        }

        (await BuiltPackages.RunAsync("/usr/bin/applianced", "--check-config", Config)).Succeeded($"applianced --check-config {Config}");
        // env -u: systemd's variables of the test run (if any) must not redirect the daemon or
        // the client; env execs, so the PID is the daemon's.
        await using var daemon = ExternalProcess.Start("/usr/bin/env", "-u", "NOTIFY_SOCKET", "-u", "RUNTIME_DIRECTORY", "/usr/bin/applianced", "--config", Config);
        await WaitForStartedAsync(daemon);

        var status = await BuiltPackages.RunAsync("/usr/bin/env", "-u", "APPLIANCE_SOCKET", "-u", "RUNTIME_DIRECTORY", "/usr/bin/appliancectl", "status");
        output.WriteLine(status.Stdout);
        status.Succeeded("appliancectl status");
        Assert.Contains(BuiltPackages.Version, status.Stdout, StringComparison.Ordinal);
        // The config leaves http.playerDir empty: the installed binary finds the installed scripts.
        Assert.Contains("player page on: 4 scripts from /usr/share/appliance/player", daemon.Stdout + daemon.Stderr, StringComparison.Ordinal);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) })
        {
            Assert.Equal(await File.ReadAllBytesAsync("/usr/share/appliance/player/player.js"), await http.GetByteArrayAsync("http://127.0.0.1:8080/player/player.js"));
            Assert.Contains("/player/player.js?v=", await http.GetStringAsync("http://127.0.0.1:8080/live/cam.html"), StringComparison.Ordinal);
        }

        Assert.Equal(0, kill(daemon.Pid, Sigterm));
        Assert.True(await daemon.WaitForExitAsync(TimeSpan.FromSeconds(45)), $"applianced did not exit after SIGTERM\n{daemon.Stdout}{daemon.Stderr}");
        Assert.True(daemon.ExitCode == 0, $"applianced exited {daemon.ExitCode} after SIGTERM\n{daemon.Stdout}{daemon.Stderr}");
    }

    private static async Task WaitForStartedAsync(ExternalProcess daemon)
    {
        var clock = Stopwatch.StartNew();
        while (!(daemon.Stdout + daemon.Stderr).Contains(" started", StringComparison.Ordinal))
        {
            if (daemon.HasExited || clock.Elapsed > TimeSpan.FromSeconds(20))
            {
                Assert.Fail($"applianced did not log \"started\" (exited: {daemon.HasExited})\n{daemon.Stdout}{daemon.Stderr}");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>A file or symbolic link is there, even one pointing at nothing.</summary>
    private static bool Present(string path) => File.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static async Task<string> StatAsync(string path) =>
        (await BuiltPackages.RunAsync("stat", "-c", "%U:%G:%a", path)).Succeeded($"stat {path}").Stdout.Trim();

    private const int Sigterm = 15;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
