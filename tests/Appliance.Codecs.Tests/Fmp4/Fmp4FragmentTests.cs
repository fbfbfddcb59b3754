using System.Buffers;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>Media fragments against byte vectors written from ISO/IEC 14496-12 8.8, box by box.</summary>
public class Fmp4FragmentTests
{
    // 2^32 + 5: tfdt must be version 1 to hold it.
    private const ulong LateDecodeTime = 0x1_0000_0005;

    private static readonly byte[] TwoVideoPayloads = Hex.Bytes("0000000165 0000000141");

    [Fact]
    public void AVideoFragmentWithCompositionOffsets()
    {
        Fmp4Sample[] samples = [new(3000, 5, IsSync: true, CompositionOffset: 6000), new(3000, 5, IsSync: false, CompositionOffset: -3000)];

        var bytes = Fragment(TestTracks.Avc320x240(), 7, LateDecodeTime, samples, TwoVideoPayloads);

        Assert.Equal(
            Bytes("00000078 6D6F6F66",
                "00000010 6D666864 00000000 00000007",           // mfhd: sequence_number 7
                "00000060 74726166",
                "00000010 74666864 00020000 00000001",           // tfhd: default-base-is-moof, track 1
                "00000014 74666474 01000000 0000000100000005",   // tfdt version 1
                "00000034 7472756E 01000F01 00000002 00000080",  // trun v1: offset, duration, size, flags, cto
                "00000BB8 00000005 02000000 00001770",           // sync, +6000
                "00000BB8 00000005 01010000 FFFFF448",           // non-sync, -3000
                "00000012 6D646174 0000000165 0000000141"),
            bytes);
    }

    [Fact]
    public void AVideoFragmentWithoutCompositionOffsetsLeavesTheFieldOut()
    {
        Fmp4Sample[] samples = [new(3000, 5, IsSync: true), new(3000, 5, IsSync: false)];

        var bytes = Fragment(TestTracks.Avc320x240(), 1, 0, samples, TwoVideoPayloads);

        Assert.Equal(
            Bytes("00000070 6D6F6F66",
                "00000010 6D666864 00000000 00000001",
                "00000058 74726166",
                "00000010 74666864 00020000 00000001",
                "00000014 74666474 01000000 0000000000000000",
                "0000002C 7472756E 00000701 00000002 00000078",  // trun v0 without 0x800
                "00000BB8 00000005 02000000",
                "00000BB8 00000005 01010000",
                "00000012 6D646174 0000000165 0000000141"),
            bytes);
    }

    [Fact]
    public void AnAudioFragmentCarriesDurationAndSizeOnly()
    {
        Fmp4Sample[] samples = [new(1024, 3, IsSync: true), new(1024, 2, IsSync: true), new(1024, 1, IsSync: true)];

        var bytes = Fragment(TestTracks.Aac(trackId: 2), 3, 2048, samples, Hex.Bytes("212223 2425 26"));

        Assert.Equal(
            Bytes("00000070 6D6F6F66",
                "00000010 6D666864 00000000 00000003",
                "00000058 74726166",
                "00000010 74666864 00020000 00000002",
                "00000014 74666474 01000000 0000000000000800",
                "0000002C 7472756E 00000301 00000003 00000078",  // trun v0, no flags: trex says sync
                "00000400 00000003 00000400 00000002 00000400 00000001",
                "0000000E 6D646174 212223 2425 26"),
            bytes);
    }

    [Fact]
    public void ASegmentsFirstFragmentStartsWithStyp()
    {
        Fmp4Sample[] samples = [new(1024, 1, IsSync: true)];
        var track = TestTracks.Aac();

        var bytes = Fragment(track, 1, 0, samples, [0x21], withSegmentType: true);

        Assert.Equal(Bytes("00000018 73747970 6D736468 00000000 6D736468 636D6673"), bytes[..24]);
        var boxes = Boxes.Parse(bytes);
        Assert.Equal(["styp", "moof", "mdat"], boxes.Select(b => b.Type));
        // data_offset still counts from the moof, not from the styp before it.
        Assert.Equal(Bytes("00000068"), boxes[1].Find("traf/trun").Bytes[16..20]);
        Assert.Equal(Fragment(track, 1, 0, samples, [0x21]), bytes[24..]);
    }

    [Fact]
    public void FlagsSaySyncOrNonSyncPerSample()
    {
        Fmp4Sample[] samples = [new(1, 0, IsSync: false), new(1, 0, IsSync: true), new(1, 0, IsSync: false)];

        var trun = Boxes.Parse(Fragment(TestTracks.Hevc1280x720(), 1, 0, samples, []))[0].Find("traf/trun");

        var flags = Enumerable.Range(0, 3).Select(i => Hex.Of(trun.Bytes.AsSpan(20 + (i * 12) + 8, 4)));
        Assert.Equal(["01010000", "02000000", "01010000"], flags);
    }

    [Fact]
    public void MdatCountsEveryPayloadByte()
    {
        var payload = new byte[20_000];
        Random.Shared.NextBytes(payload);
        Fmp4Sample[] samples = [new(3000, 12_000, true), new(3000, 7_999, false), new(3000, 1, false)];

        var bytes = Fragment(TestTracks.Avc320x240(), 9, 90_000, samples, payload);

        var mdat = Boxes.Parse(bytes)[1];
        Assert.Equal("mdat", mdat.Type);
        Assert.Equal(8 + 20_000, mdat.Size);
        Assert.Equal(payload, mdat.Body.ToArray());
        Assert.Equal(20_000L, Fmp4Fragment.PayloadLength(samples));
    }

    [Fact]
    public void WriteTakesThePayloadAsASequenceOfSegments()
    {
        var track = TestTracks.Avc320x240();
        Fmp4Sample[] samples = [new(3000, 5, true), new(3000, 5, false)];
        var payload = Segments.Split(TwoVideoPayloads, 3);
        var output = new ArrayBufferWriter<byte>();

        var written = Fmp4Fragment.Write(output, track, 1, 0, samples, payload);

        Assert.Equal(output.WrittenCount, written);
        Assert.Equal(Fragment(track, 1, 0, samples, TwoVideoPayloads), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void RefusesNoSamplesOrTooMany()
    {
        var track = TestTracks.Avc320x240();
        Assert.Contains("at least one sample", Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(track, [])).Message);
        var many = new Fmp4Sample[Fmp4Fragment.MaxSamples + 1];
        Assert.Contains("at most 65535 samples, not 65536", Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(track, many)).Message);
        var trunAtTheLimit = 12 + 8 + (Fmp4Fragment.MaxSamples * 12);
        Assert.Equal(8 + 16 + 8 + 16 + 20 + trunAtTheLimit + 8, Fmp4Fragment.MeasureHeader(track, many.AsSpan(0, Fmp4Fragment.MaxSamples)));
    }

    [Fact]
    public void RefusesANegativeSize()
    {
        var error = Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(TestTracks.Avc320x240(), [new(1, 4, true), new(1, -1, false)]));
        Assert.Contains("Sample 1 has a negative size (-1)", error.Message);
    }

    [Fact]
    public void RefusesAudioSamplesWithACompositionOffsetOrNotSync()
    {
        var track = TestTracks.Aac(trackId: 2);
        var offset = Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(track, [new(1024, 4, true, CompositionOffset: 10)]));
        Assert.Contains("Sample 0 of audio track 2 has a composition offset (10)", offset.Message);
        var nonSync = Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(track, [new(1024, 4, true), new(1024, 4, false)]));
        Assert.Contains("Sample 1 of audio track 2 is not a sync sample", nonSync.Message);
    }

    [Fact]
    public void RefusesAPayloadTooLargeForA32BitMdat()
    {
        Fmp4Sample[] samples = [new(1, int.MaxValue, true), new(1, int.MaxValue, false), new(1, 1, false)];
        var error = Assert.Throws<ArgumentException>("samples", () => Fmp4Fragment.MeasureHeader(TestTracks.Avc320x240(), samples));
        Assert.Contains("add up to 4294967295 bytes, more than a 32-bit mdat box holds", error.Message);

        // The largest payload that fits makes the mdat size field all ones.
        Fmp4Sample[] fits = [new(1, int.MaxValue, true), new(1, int.MaxValue - 7, false)];
        var header = new byte[Fmp4Fragment.MeasureHeader(TestTracks.Avc320x240(), fits)];
        Fmp4Fragment.WriteHeader(header, TestTracks.Avc320x240(), 1, 0, fits);
        Assert.Equal(Bytes("FFFFFFFF 6D646174"), header[^8..]);
    }

    [Fact]
    public void RefusesAShortDestination()
    {
        var track = TestTracks.Aac();
        Fmp4Sample[] samples = [new(1024, 1, true)];
        var needed = Fmp4Fragment.MeasureHeader(track, samples);
        var error = Assert.Throws<ArgumentException>("destination", () => Fmp4Fragment.WriteHeader(new byte[needed - 1], track, 1, 0, samples));
        Assert.Contains($"holds {needed - 1} bytes; this fragment header needs {needed}", error.Message);
    }

    [Fact]
    public void RefusesAPayloadThatIsNotTheSumOfTheSizes()
    {
        var output = new ArrayBufferWriter<byte>();
        var error = Assert.Throws<ArgumentException>("payload", () => Fmp4Fragment.Write(output, TestTracks.Aac(), 1, 0, [new(1024, 3, true)], new ReadOnlySequence<byte>(new byte[2])));
        Assert.Contains("The payload is 2 bytes; the samples' sizes add up to 3", error.Message);
        Assert.Equal(0, output.WrittenCount);
    }

    private static byte[] Fragment(Fmp4Track track, uint sequenceNumber, ulong decodeTime, ReadOnlySpan<Fmp4Sample> samples, byte[] payload, bool withSegmentType = false)
    {
        var header = new byte[Fmp4Fragment.MeasureHeader(track, samples, withSegmentType)];
        Assert.Equal(header.Length, Fmp4Fragment.WriteHeader(header, track, sequenceNumber, decodeTime, samples, withSegmentType));
        return [.. header, .. payload];
    }

    private static byte[] Bytes(params string[] groups) => Hex.Bytes(string.Concat(groups));
}
