using System.ComponentModel;
using Appliance.Transport.Native;

namespace Appliance.Transport.Files;

/// <summary>
/// Builds a <see cref="MemoryFile"/>: an anonymous in-memory file (memfd) appended to while a
/// segment is being cut, then sealed and mapped read-only when it completes. Kernels without
/// memfd get an unnamed file in /dev/shm (tmpfs) instead, which behaves the same.
/// </summary>
public sealed unsafe class MemoryFileWriter : IDisposable
{
    private int _fd;

    private MemoryFileWriter(int fd) => _fd = fd;

    public long Length { get; private set; }

    public static MemoryFileWriter Create(string name)
    {
        var fd = LibC.MemfdCreate(name, LibC.MfdCloexec | LibC.MfdAllowSealing);
        if (fd < 0 && LibC.LastError == LibC.ENoSys)
        {
            fd = LibC.Open(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), LibC.OTmpFile | LibC.ORdWr, 0x180);
        }
        if (fd < 0)
        {
            throw new Win32Exception(LibC.LastError, "cannot create an in-memory file");
        }
        return new MemoryFileWriter(fd);
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        fixed (byte* start = bytes)
        {
            var written = 0;
            while (written < bytes.Length)
            {
                var result = LibC.Write(_fd, start + written, (nuint)(bytes.Length - written));
                if (result < 0)
                {
                    var errno = LibC.LastError;
                    if (errno == LibC.EIntr)
                    {
                        continue;
                    }
                    throw new Win32Exception(errno, "cannot write to an in-memory file");
                }
                written += (int)result;
            }
        }
        Length += bytes.Length;
    }

    /// <summary>Seals the bytes (no one may change them now) and maps them; the writer is spent.</summary>
    public MemoryFile Complete()
    {
        ObjectDisposedException.ThrowIf(_fd < 0, this);
        // Sealing is best effort: the tmpfs fallback cannot seal, and nothing writes after this anyway.
        LibC.Fcntl(_fd, LibC.FAddSeals, LibC.FSealShrink | LibC.FSealGrow | LibC.FSealWrite);
        byte* mapping = null;
        if (Length > 0)
        {
            var address = LibC.Mmap(0, (nuint)Length, LibC.ProtRead, LibC.MapShared, _fd, 0);
            if (address == LibC.MapFailed)
            {
                throw new Win32Exception(LibC.LastError, "cannot map an in-memory file");
            }
            mapping = (byte*)address;
        }
        var file = new MemoryFile(_fd, Length, mapping);
        _fd = -1;
        return file;
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LibC.Close(_fd);
            _fd = -1;
        }
    }
}
