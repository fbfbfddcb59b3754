using System.Buffers;
using System.Buffers.Binary;
using Appliance.Codecs.Fmp4;

namespace Appliance.Load.Tests.Cmaf;

/// <summary>Inits and CMAF chunks as the node's packager writes them (the Codecs muxer), and hand-made boxes.</summary>
internal static class CmafMedia
{
    public static Fmp4Track Video()
    {
        Assert.True(Fmp4Track.TryCreateAvc(1, Payloads.AvcSequenceHeader().AsSpan(5), out var track, out var problem), problem);
        return track;
    }

    public static Fmp4Track Audio()
    {
        Assert.True(Fmp4Track.TryCreateAac(2, Payloads.AacSequenceHeader().AsSpan(2), out var track, out var problem), problem);
        return track;
    }

    public static byte[] Init(Fmp4Track track) => Fmp4InitSegment.Create(track);

    /// <summary>One chunk (moof + mdat, with styp when it starts a segment) of <paramref name="samples"/> samples.</summary>
    public static byte[] Chunk(Fmp4Track track, uint sequence, int samples, int sampleSize = 100, bool segmentType = false)
    {
        var list = Enumerable.Range(0, samples).Select(i => new Fmp4Sample(3600, sampleSize, IsSync: i == 0)).ToArray();
        var output = new ArrayBufferWriter<byte>();
        Fmp4Fragment.Write(output, track, sequence, sequence * 36000UL, list, new ReadOnlySequence<byte>(new byte[samples * sampleSize]), segmentType);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A box of <paramref name="type"/> whose header says <paramref name="size"/> bytes, with <paramref name="payload"/> after it.</summary>
    public static byte[] SizedBox(string type, uint size, params byte[] payload)
    {
        var bytes = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, size);
        System.Text.Encoding.ASCII.GetBytes(type, bytes.AsSpan(4));
        payload.CopyTo(bytes, 8);
        return bytes;
    }

    public static byte[] Box(string type, params byte[] payload) => SizedBox(type, (uint)(8 + payload.Length), payload);
}
