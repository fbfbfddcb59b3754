using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>What a package test needs from the machine beyond the built packages.</summary>
[Flags]
public enum PackageNeeds
{
    None = 0,
    Dpkg = 1,
    Rpm = 2,
    Lintian = 4,
    /// <summary>Root, dpkg, and no appliance package of anyone else's to overwrite and purge.</summary>
    Install = 8,
    SystemdAnalyze = 16,
    /// <summary>The ports the installed config listens on: 1935, 8080, 9135.</summary>
    DefaultPorts = 32,
}

/// <summary>
/// A test of the built packages. Skipped, saying what is missing and how to get it, where the
/// machine lacks a tool the test needs or must not have packages installed and purged. Packages
/// that were not built are no reason to skip: those tests fail, naming `make packages`.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PackageFactAttribute : FactAttribute
{
    public PackageFactAttribute(PackageNeeds needs = PackageNeeds.None)
    {
        Skip = PackagePrerequisites.Missing(needs);
    }
}

internal static partial class PackagePrerequisites
{
    public static string? Missing(PackageNeeds needs)
    {
        var reasons = new List<string>();
        if (needs.HasFlag(PackageNeeds.Dpkg) && !OnPath("dpkg-deb"))
        {
            reasons.Add("dpkg-deb is not installed (not a Debian machine)");
        }
        if (needs.HasFlag(PackageNeeds.Rpm) && !OnPath("rpm"))
        {
            reasons.Add("rpm is not installed: apt-get install rpm");
        }
        if (needs.HasFlag(PackageNeeds.Lintian) && !OnPath("lintian"))
        {
            reasons.Add("lintian is not installed: apt-get install lintian");
        }
        if (needs.HasFlag(PackageNeeds.SystemdAnalyze) && !OnPath("systemd-analyze"))
        {
            reasons.Add("systemd-analyze is not installed");
        }
        if (needs.HasFlag(PackageNeeds.Install))
        {
            if (geteuid() != 0)
            {
                reasons.Add("installing a package needs root (run `make test` as root)");
            }
            else if (!OnPath("dpkg"))
            {
                reasons.Add("dpkg is not installed (not a Debian machine)");
            }
            else if (InstalledStatus() is { } status)
            {
                reasons.Add($"an appliance package is already on this machine ({status}); this test installs and purges its own, so it leaves that one alone (`dpkg -P appliance` if it is a leftover)");
            }
        }
        if (needs.HasFlag(PackageNeeds.DefaultPorts))
        {
            foreach (var (address, port) in new[] { (IPAddress.Any, 1935), (IPAddress.Any, 8080), (IPAddress.Loopback, 9135) })
            {
                if (!CanListen(address, port))
                {
                    reasons.Add($"port {port} is in use on this machine, and the installed config listens on it");
                }
            }
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    private static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, command)));

    /// <summary>dpkg's status of a package named appliance, or null when dpkg knows none.</summary>
    private static string? InstalledStatus()
    {
        var info = new ProcessStartInfo("dpkg-query", ["-W", "-f=${db:Status-Status} ${Version}", "appliance"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var query = Process.Start(info)!;
        var output = query.StandardOutput.ReadToEnd().Trim();
        query.StandardError.ReadToEnd();
        query.WaitForExit();
        return query.ExitCode == 0 && output.Length > 0 && !output.StartsWith("not-installed", StringComparison.Ordinal) ? output : null;
    }

    private static bool CanListen(IPAddress address, int port)
    {
        try
        {
            var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
