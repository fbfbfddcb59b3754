using System.Runtime.InteropServices;

namespace Appliance.Daemon;

/// <summary>
/// Raises the open-file soft limit to the hard limit at start: every viewer is a descriptor, and a
/// shell's usual soft limit (1,024) would refuse viewers at about a thousand while the hard limit
/// allows far more. The JIT runtime does this by itself; a Native AOT process keeps what it was given.
/// Only an operator raises the hard limit (LimitNOFILE in the systemd unit).
/// </summary>
internal static partial class OpenFileLimit
{
    private const int RlimitNofile = 7;

    /// <summary>The soft limit before and after; null where the limit cannot be read.</summary>
    public static (ulong Before, ulong After)? Raise()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return null;
        }
        var before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (SetRLimit(RlimitNofile, raised) == 0)
            {
                limit = raised;
            }
        }
        return (before, limit.Current);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
