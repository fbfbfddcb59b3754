using System.Runtime.InteropServices;

namespace Appliance.Node.Transcoding;

/// <summary>Signals to a child's whole process group (it leads its own, by setsid), which the runtime has no call for.</summary>
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="leader"/> leads; false when none is left.</summary>
    public static bool Signal(int leader, int signal) => leader > 1 && Kill(-leader, signal) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
