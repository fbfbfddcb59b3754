using System.Runtime.InteropServices;

namespace Appliance.Transport.Uring;

/// <summary>
/// The kernel's io_uring interface as it is laid out in linux/io_uring.h (the same on x86-64 and
/// arm64). Tmds.LibC 0.5.0 has no io_uring, so the three system calls go through libc's syscall(2)
/// with their generic numbers, and the rings are mapped here.
/// </summary>
internal static unsafe partial class UringAbi
{
    public const long SysSetup = 425;
    public const long SysEnter = 426;

    public const byte OpPollAdd = 6;
    public const byte OpSendMsg = 9;
    public const byte OpAsyncCancel = 14;
    public const byte OpRead = 22;
    public const byte OpSendMsgZc = 48;

    public const uint SetupCqSize = 1u << 3;
    public const uint SetupSubmitAll = 1u << 7;
    public const uint SetupCoopTaskRun = 1u << 8;
    public const uint SetupSingleIssuer = 1u << 12;
    public const uint SetupDeferTaskRun = 1u << 13;

    public const uint FeatSingleMmap = 1u << 0;
    public const uint FeatNoDrop = 1u << 1;
    public const uint FeatFastPoll = 1u << 5;

    public const uint EnterGetEvents = 1u << 0;

    public const uint CqeFlagMore = 1u << 1;
    public const uint CqeFlagNotification = 1u << 3;

    public const long OffSqRing = 0;
    public const long OffCqRing = 0x8000000;
    public const long OffSqes = 0x10000000;

    public const uint PollOut = 0x004;

    [StructLayout(LayoutKind.Sequential)]
    public struct SqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Reserved1;
        public ulong UserAddress;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CqRingOffsets
    {
        public uint Head, Tail, RingMask, RingEntries, Overflow, Cqes, Flags, Reserved1;
        public ulong UserAddress;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Params
    {
        public uint SqEntries, CqEntries, Flags, SqThreadCpu, SqThreadIdle, Features, WqFd;
        public fixed uint Reserved[3];
        public SqRingOffsets SqOff;
        public CqRingOffsets CqOff;
    }

    /// <summary>A submission entry (64 bytes); only the fields the send ring uses are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 64)]
    public struct Sqe
    {
        [FieldOffset(0)] public byte Opcode;
        [FieldOffset(1)] public byte Flags;
        [FieldOffset(2)] public ushort IoPriority;
        [FieldOffset(4)] public int Fd;
        [FieldOffset(8)] public ulong Offset;
        [FieldOffset(16)] public ulong Address;
        [FieldOffset(24)] public uint Length;
        /// <summary>msg_flags for sends, poll32_events for a poll, cancel_flags for a cancel.</summary>
        [FieldOffset(28)] public uint OpFlags;
        [FieldOffset(32)] public ulong UserData;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Cqe
    {
        public ulong UserData;
        public int Result;
        public uint Flags;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Iovec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public Iovec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    // syscall(2) is variadic in C; its integer arguments travel in the same registers as a fixed
    // signature's on x86-64 and arm64 Linux, and glibc's wrapper reads no floating-point ones.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    public static int Setup(uint entries, Params* parameters) =>
        (int)Syscall(SysSetup, entries, (long)parameters, 0, 0, 0, 0);

    public static int Enter(int fd, uint toSubmit, uint minComplete, uint flags) =>
        (int)Syscall(SysEnter, fd, toSubmit, minComplete, flags, 0, 0);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initial, int flags);

    public const int EfdCloexec = 0x80000;
    public const int ProtReadWrite = 0x3;
    public const int MapPopulate = 0x8000;
}
