namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that runs the daemon and appliancectl as the unprivileged user nobody (uid and gid
/// 65534) with setpriv, which execs in place so the process started is the one ended by PID.
/// Skipped, with the reason, unless the tests run as root with setpriv and the binaries are
/// reachable by other users.
/// </summary>
public sealed class AsNobodyFactAttribute : FactAttribute
{
    public const string SetPriv = "/usr/bin/setpriv";

    public AsNobodyFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root to act as the user nobody (runs as " + Environment.UserName + ")";
        }
        else if (!File.Exists(SetPriv))
        {
            Skip = "needs setpriv (util-linux) to act as the user nobody";
        }
        else if (OperatingSystem.IsLinux() && Unreachable(Environment.GetEnvironmentVariable("APPLIANCED_BIN") ?? Path.Combine(RepoPaths.Root, "artifacts", "bin", "applianced")) is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The command prefix that runs what follows as nobody in <paramref name="directory"/>, with only PATH in its environment.</summary>
    public static string[] Prefix(string directory) =>
        [SetPriv, "--reuid=65534", "--regid=65534", "--clear-groups", "env", "-i", $"--chdir={directory}", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"];

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string? Unreachable(string binary)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(binary)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                return $"the user nobody cannot reach the binaries: {dir} is not searchable by others";
            }
        }
        return null;
    }
}
