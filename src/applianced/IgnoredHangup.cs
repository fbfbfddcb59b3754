using System.Runtime.InteropServices;

namespace Appliance.Daemon;

/// <summary>
/// A daemon started under <c>nohup</c> (or by any parent that ignores SIGHUP) inherits SIGHUP
/// ignored, and the .NET runtime keeps an inherited ignore: its handler is never installed, so
/// <c>kill -HUP</c> would not reload and nothing would say why. nginx installs its handler
/// whatever it inherited; so does this daemon, by putting the default disposition back before
/// <see cref="Signals"/> registers. A hangup then reloads instead of ending the process, which
/// is what nohup asked for: that it survive one.
/// </summary>
internal static partial class IgnoredHangup
{
    private const int SigHup = 1;
    private const nint SigDfl = 0;

    /// <summary>True when SIGHUP was ignored and now has its default disposition again.</summary>
    public static bool Restore()
    {
        if (!OperatingSystem.IsLinux() || !IsIgnored())
        {
            return false;
        }
        // Between this and the registration a hangup would end the process: a few microseconds at start.
        return SetDisposition(SigHup, SigDfl) != -1;
    }

    /// <summary>Reads the kernel's mask of ignored signals (SIGHUP is its lowest bit).</summary>
    private static bool IsIgnored()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("SigIgn:", StringComparison.Ordinal))
                {
                    var mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
                    return (mask & (1UL << (SigHup - 1))) != 0;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // No /proc, or a line this code does not know: leave the disposition as it is.
        }
        return false;
    }

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint SetDisposition(int signal, nint handler);
}
