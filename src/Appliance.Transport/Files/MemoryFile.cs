using Appliance.Core.Buffers;
using Appliance.Transport.Native;

namespace Appliance.Transport.Files;

/// <summary>A sealed in-memory file and its read-only mapping; freed (unmapped, closed) with its last reference.</summary>
public sealed unsafe class MemoryFile : SharedFile
{
    private readonly int _fd;
    private readonly long _length;
    private readonly byte* _mapping;
    private readonly ReadOnlyMemory<byte> _memory;

    internal MemoryFile(int fd, long length, byte* mapping)
    {
        _fd = fd;
        _length = length;
        _mapping = mapping;
        _memory = length == 0 ? ReadOnlyMemory<byte>.Empty : new MappedMemory(mapping, checked((int)length)).Memory;
    }

    public override int FileDescriptor => _fd;

    public override long Length => _length;

    public override byte* Pointer => _mapping;

    public override ReadOnlyMemory<byte> Memory => _memory;

    protected override void Free()
    {
        if (_mapping != null)
        {
            LibC.Munmap((nint)_mapping, (nuint)_length);
        }
        LibC.Close(_fd);
    }
}
