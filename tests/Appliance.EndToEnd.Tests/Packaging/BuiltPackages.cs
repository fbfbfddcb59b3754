using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>The packages `make packages` built, and what each must contain.</summary>
internal static partial class BuiltPackages
{
    public static string Deb => Find("appliance_*.deb");

    public static string Rpm => Find("appliance-*.rpm");

    /// <summary>The project's one version, which both packages carry.</summary>
    public static string Version { get; } =
        VersionElement().Match(File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"))).Groups[1].Value;

    /// <summary>Every file (not directory) both packages install.</summary>
    public static readonly string[] CommonFiles =
    [
        "/etc/appliance/appliance.json",
        "/etc/logrotate.d/appliance",
        "/usr/bin/appliance-load",
        "/usr/bin/appliancectl",
        "/usr/bin/applianced",
        "/usr/lib/systemd/system/appliance.service",
        "/usr/lib/sysusers.d/appliance.conf",
        "/usr/share/appliance/grafana/appliance-dashboard.json",
        "/usr/share/appliance/player/dash.all.min.js",
        "/usr/share/appliance/player/hls.min.js",
        "/usr/share/appliance/player/licenses/dashjs/LICENSE.md",
        "/usr/share/appliance/player/licenses/dashjs/dash.all.min.js.LICENSE.txt",
        "/usr/share/appliance/player/licenses/hls.js/LICENSE",
        "/usr/share/appliance/player/licenses/mpegts.js/LICENSE",
        "/usr/share/appliance/player/licenses/mpegts.js/mpegts.js.LICENSE.txt",
        "/usr/share/appliance/player/mpegts.js",
        "/usr/share/appliance/player/player.js",
        "/usr/share/man/man1/appliance-load.1.gz",
        "/usr/share/man/man8/appliancectl.8.gz",
        "/usr/share/man/man8/applianced.8.gz",
    ];

    /// <summary>The files only the .deb has: Debian's copyright file and a native package's changelog.</summary>
    public static readonly string[] DebDocFiles = ["/usr/share/doc/appliance/changelog.gz", "/usr/share/doc/appliance/copyright"];

    /// <summary>What only the .rpm lists: the license as %license, and the directories it owns.</summary>
    public static readonly string[] RpmOnlyEntries =
    [
        "/etc/appliance", "/usr/share/appliance", "/usr/share/appliance/grafana", "/usr/share/appliance/player",
        "/usr/share/appliance/player/licenses", "/usr/share/appliance/player/licenses/dashjs", "/usr/share/appliance/player/licenses/hls.js",
        "/usr/share/appliance/player/licenses/mpegts.js", "/usr/share/licenses/appliance/LICENSE", "/var/log/appliance",
    ];

    /// <summary>What deb's postinst and rpm's %post print on a first install: the packaged config lets only this machine publish.</summary>
    public static readonly string[] PublishNotice =
    [
        "appliance: encoders may publish only from this machine (127.0.0.1, ::1) until you open it:",
        "appliance: edit auth.publish in /etc/appliance/appliance.json, then systemctl reload appliance.",
    ];

    public static readonly string[] ConfigFiles = ["/etc/appliance/appliance.json", "/etc/logrotate.d/appliance"];

    private static string Find(string pattern)
    {
        var dir = RepoPaths.Packages;
        var found = Directory.Exists(dir) ? Directory.GetFiles(dir, pattern) : [];
        if (found.Length != 1)
        {
            throw new InvalidOperationException($"expected one {pattern} in {dir}, found {found.Length}: run `make packages` first (or set APPLIANCE_PACKAGES_DIR)");
        }
        return found[0];
    }

    /// <summary>Runs a packaging tool to completion (lintian and dpkg can take a while).</summary>
    public static Task<ExternalProcess> RunAsync(string file, params string[] args) =>
        ExternalProcess.RunAsync(TimeSpan.FromMinutes(3), file, args);

    /// <summary>Fails with the command's output unless it exited 0.</summary>
    public static ExternalProcess Succeeded(this ExternalProcess process, string what)
    {
        Assert.True(process.ExitCode == 0, $"{what} exited {process.ExitCode}\n{process.Stdout}\n{process.Stderr}");
        return process;
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex("<Version>([^<]+)</Version>")]
    private static partial Regex VersionElement();
}
