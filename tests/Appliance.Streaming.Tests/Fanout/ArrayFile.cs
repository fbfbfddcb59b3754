using Appliance.Core.Buffers;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>A file held in pinned managed memory, for sinks that read <see cref="SharedFile.Memory"/>.</summary>
internal sealed unsafe class ArrayFile : SharedFile
{
    private readonly byte[] _bytes;

    public ArrayFile(byte[] bytes)
    {
        _bytes = GC.AllocateArray<byte>(bytes.Length, pinned: true);
        bytes.CopyTo(_bytes, 0);
    }

    /// <summary>A file of <paramref name="length"/> bytes that count up (mod 251), so misplaced bytes show.</summary>
    public static ArrayFile Counting(int length) => new(Enumerable.Range(0, length).Select(i => (byte)(i % 251)).ToArray());

    public byte[] Bytes => _bytes;

    public override int FileDescriptor => -1;

    public override long Length => _bytes.Length;

    public override byte* Pointer => (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _bytes[0]);

    public override ReadOnlyMemory<byte> Memory => _bytes;

    protected override void Free()
    {
    }
}
