using System.Buffers.Binary;
using System.Text;

namespace Appliance.Tests.Support;

internal sealed record ReadSample(uint Duration, int Size, bool Sync, int CompositionOffset);

/// <summary>One moof + mdat as a player reads it: where its samples lie in time and what bytes they are.</summary>
internal sealed record ReadFragment(bool HasSegmentType, uint Sequence, uint TrackId, ulong DecodeTime, IReadOnlyList<ReadSample> Samples, byte[] Payload)
{
    public ulong EndTime => DecodeTime + (ulong)Samples.Sum(s => (long)s.Duration);
}

/// <summary>
/// An independent reader of the packager's media segments and parts: styp, moof (mfhd, traf with
/// tfhd, tfdt v1 and one trun), mdat. Fails the test on any size that does not add up, a data
/// offset that does not point at the mdat's payload, or a payload that is not the samples' sizes.
/// </summary>
internal static class Fmp4Reader
{
    private const uint SampleDuration = 0x100, SampleSize = 0x200, SampleFlags = 0x400, SampleCompositionOffset = 0x800;

    public static List<ReadFragment> Read(ReadOnlySpan<byte> bytes)
    {
        var fragments = new List<ReadFragment>();
        var offset = 0;
        var styp = false;
        while (offset < bytes.Length)
        {
            var (type, size) = Header(bytes, offset);
            if (type == "styp")
            {
                styp = true;
                offset += size;
                continue;
            }
            Assert.Equal("moof", type);
            var moof = bytes.Slice(offset, size);
            var mdatOffset = offset + size;
            var (mdatType, mdatSize) = Header(bytes, mdatOffset);
            Assert.Equal("mdat", mdatType);
            fragments.Add(Fragment(moof, bytes.Slice(mdatOffset + 8, mdatSize - 8), styp));
            styp = false;
            offset = mdatOffset + mdatSize;
        }
        return fragments;
    }

    private static ReadFragment Fragment(ReadOnlySpan<byte> moof, ReadOnlySpan<byte> payload, bool styp)
    {
        var children = Children(moof[8..]);
        var mfhd = children.Single(c => c.Type == "mfhd");
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(moof.Slice(mfhd.Offset + 8 + 12, 4));
        var traf = children.Single(c => c.Type == "traf");
        var trafBody = moof.Slice(traf.Offset + 8 + 8, traf.Size - 8);
        var inTraf = Children(trafBody);
        Assert.Equal(["tfhd", "tfdt", "trun"], inTraf.Select(c => c.Type));
        var tfhd = trafBody.Slice(inTraf[0].Offset + 8, inTraf[0].Size - 8);
        Assert.Equal(0x02_0000u, BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFF_FFFF);
        var trackId = BinaryPrimitives.ReadUInt32BigEndian(tfhd[4..]);
        var tfdt = trafBody.Slice(inTraf[1].Offset + 8, inTraf[1].Size - 8);
        Assert.Equal(1, tfdt[0]);
        var decodeTime = BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]);
        var trun = trafBody.Slice(inTraf[2].Offset + 8, inTraf[2].Size - 8);
        var flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFF_FFFF;
        var count = (int)BinaryPrimitives.ReadUInt32BigEndian(trun[4..]);
        var dataOffset = BinaryPrimitives.ReadInt32BigEndian(trun[8..]);
        Assert.Equal(moof.Length + 8, dataOffset);
        var samples = new List<ReadSample>();
        var at = 12;
        for (var i = 0; i < count; i++)
        {
            uint duration = 0, sampleFlags = 0x0200_0000;
            int size = 0, composition = 0;
            if ((flags & SampleDuration) != 0) { duration = BinaryPrimitives.ReadUInt32BigEndian(trun[at..]); at += 4; }
            if ((flags & SampleSize) != 0) { size = BinaryPrimitives.ReadInt32BigEndian(trun[at..]); at += 4; }
            if ((flags & SampleFlags) != 0) { sampleFlags = BinaryPrimitives.ReadUInt32BigEndian(trun[at..]); at += 4; }
            if ((flags & SampleCompositionOffset) != 0) { composition = BinaryPrimitives.ReadInt32BigEndian(trun[at..]); at += 4; }
            samples.Add(new ReadSample(duration, size, (sampleFlags & 0x0001_0000) == 0, composition));
        }
        Assert.Equal(trun.Length, at);
        Assert.Equal(payload.Length, samples.Sum(s => s.Size));
        return new ReadFragment(styp, sequence, trackId, decodeTime, samples, payload.ToArray());
    }

    private static (string Type, int Size) Header(ReadOnlySpan<byte> bytes, int offset)
    {
        Assert.True(bytes.Length - offset >= 8, $"{bytes.Length - offset} stray bytes at {offset}");
        var size = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
        var type = Encoding.ASCII.GetString(bytes.Slice(offset + 4, 4));
        Assert.True(size >= 8 && size <= bytes.Length - offset, $"'{type}' at {offset} claims {size} bytes, {bytes.Length - offset} left");
        return (type, size);
    }

    private static List<(string Type, int Offset, int Size)> Children(ReadOnlySpan<byte> body)
    {
        var children = new List<(string, int, int)>();
        var offset = 0;
        while (offset < body.Length)
        {
            var (type, size) = Header(body, offset);
            children.Add((type, offset, size));
            offset += size;
        }
        return children;
    }
}
