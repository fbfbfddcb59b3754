using System.Runtime.InteropServices;

namespace Appliance.Transport.Native;

/// <summary>
/// The few libc calls the runtime does not expose. Tmds.LibC has no sendfile or writev binding,
/// so these are declared here with source-generated marshalling (AOT-safe).
/// </summary>
internal static unsafe partial class LibC
{
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int ENoSys = 38;

    public const uint MfdCloexec = 0x0001;
    public const uint MfdAllowSealing = 0x0002;

    public const int FGetFl = 3;
    public const int FSetFl = 4;
    public const int ONonBlock = 0x800;
    public const int FAddSeals = 1033;
    public const int FSealShrink = 0x0002;
    public const int FSealGrow = 0x0004;
    public const int FSealWrite = 0x0008;

    public const int ProtRead = 0x1;
    public const int MapShared = 0x01;
    public static readonly nint MapFailed = -1;

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    public static partial nint SendFile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    public const int ORdWr = 0x2;
    public const int OTmpFile = 0x410000;

    public static int LastError => Marshal.GetLastPInvokeError();
}
