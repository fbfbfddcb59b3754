using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Tests.Hevc;
using Appliance.Codecs.Tests.Support;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>Init segments against byte vectors written from ISO/IEC 14496-12/14/15, box by box.</summary>
public class Fmp4InitSegmentTests
{
    private const string UnityMatrix = "00010000 00000000 00000000 00000000 00010000 00000000 00000000 00000000 40000000";

    [Fact]
    public void AVideoInitHasThisStructureAndEverySizeAddsUp()
    {
        var init = Fmp4InitSegment.Create(TestTracks.Avc320x240());

        Assert.Equal(661, init.Length);
        Assert.Equal(
            """
            ftyp
            moov
              mvhd
              trak
                tkhd
                mdia
                  mdhd
                  hdlr
                  minf
                    vmhd
                    dinf
                      dref
                        url 
                    stbl
                      stsd
                        avc1
                          avcC
                      stts
                      stsc
                      stsz
                      stco
              mvex
                trex

            """,
            Boxes.Outline(Boxes.Parse(init)));
    }

    [Fact]
    public void FtypSaysCmafWithIso6AndTheAvcBrand()
    {
        var boxes = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240()));
        Assert.Equal("0000001C 66747970 636D6663 00000000 69736F36 636D6663 61766331".Replace(" ", ""), Hex.Of(boxes[0].Bytes));
    }

    [Fact]
    public void FtypForHevcOrAacHasNoCodecBrand()
    {
        var expected = "00000018 66747970 636D6663 00000000 69736F36 636D6663".Replace(" ", "");
        Assert.Equal(expected, Hex.Of(Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Hevc1280x720()))[0].Bytes));
        Assert.Equal(expected, Hex.Of(Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac()))[0].Bytes));
    }

    [Fact]
    public void Mvhd()
    {
        var moov = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240(trackId: 5)))[1];
        Assert.Equal(
            Bytes("0000006C 6D766864 00000000",
                "00000000 00000000 000003E8 00000000",  // creation, modification, timescale 1000, duration 0
                "00010000 0100 0000 00000000 00000000", // rate 1.0, volume 1.0, reserved
                UnityMatrix,
                "000000000000000000000000000000000000000000000000",
                "00000006"),                            // next_track_ID
            moov.Find("mvhd").Bytes);
    }

    [Fact]
    public void VideoTkhdHasTheSizeIn16Dot16AndNoVolume()
    {
        var moov = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240()))[1];
        Assert.Equal(
            Bytes("0000005C 746B6864 00000003",          // flags: enabled | in_movie
                "00000000 00000000 00000001 00000000 00000000", // times, track_ID 1, reserved, duration
                "00000000 00000000 0000 0000 0000 0000",  // reserved, layer, group, volume 0, reserved
                UnityMatrix,
                "01400000 00F00000"),                     // 320.0 x 240.0
            moov.Find("trak/tkhd").Bytes);
    }

    [Fact]
    public void AudioTkhdHasFullVolumeAndNoSize()
    {
        var moov = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac(trackId: 2)))[1];
        Assert.Equal(
            Bytes("0000005C 746B6864 00000003",
                "00000000 00000000 00000002 00000000 00000000",
                "00000000 00000000 0000 0000 0100 0000",
                UnityMatrix,
                "00000000 00000000"),
            moov.Find("trak/tkhd").Bytes);
    }

    [Fact]
    public void MdhdAndHdlrGiveTheTimescaleLanguageAndHandler()
    {
        var video = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240()))[1].Find("trak/mdia");
        Assert.Equal(Bytes("00000020 6D646864 00000000 00000000 00000000 00015F90 00000000 55C4 0000"), video.Find("mdhd").Bytes);
        Assert.Equal(Bytes("0000002D 68646C72 00000000 00000000 76696465 000000000000000000000000", "566964656F48616E646C657200"), video.Find("hdlr").Bytes);

        var audio = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac()))[1].Find("trak/mdia");
        Assert.Equal(Bytes("00000020 6D646864 00000000 00000000 00000000 0000AC44 00000000 55C4 0000"), audio.Find("mdhd").Bytes);
        Assert.Equal(Bytes("0000002D 68646C72 00000000 00000000 736F756E 000000000000000000000000", "536F756E6448616E646C657200"), audio.Find("hdlr").Bytes);
    }

    [Fact]
    public void MinfHasTheMediaHeaderASelfContainedDataReferenceAndEmptyTables()
    {
        var minf = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240()))[1].Find("trak/mdia/minf");
        Assert.Equal(Bytes("00000014 766D6864 00000001 0000 000000000000"), minf.Find("vmhd").Bytes);
        Assert.Equal(Bytes("00000024 64696E66 0000001C 64726566 00000000 00000001 0000000C 75726C20 00000001"), minf.Find("dinf").Bytes);
        Assert.Equal(Bytes("00000010 73747473 00000000 00000000"), minf.Find("stbl/stts").Bytes);
        Assert.Equal(Bytes("00000010 73747363 00000000 00000000"), minf.Find("stbl/stsc").Bytes);
        Assert.Equal(Bytes("00000014 7374737A 00000000 00000000 00000000"), minf.Find("stbl/stsz").Bytes);
        Assert.Equal(Bytes("00000010 7374636F 00000000 00000000"), minf.Find("stbl/stco").Bytes);

        var audio = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac()))[1].Find("trak/mdia/minf");
        Assert.Equal(Bytes("00000010 736D6864 00000000 0000 0000"), audio.Find("smhd").Bytes);
    }

    [Fact]
    public void Avc1SampleEntryCarriesTheRecordAsAvcC()
    {
        var stsd = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240()))[1].Find("trak/mdia/minf/stbl/stsd");
        Assert.Equal(
            Bytes("00000098 73747364 00000000 00000001",    // one entry
                "00000088 61766331 000000000000 0001",       // avc1, data_reference_index 1
                "0000 0000 000000000000000000000000",        // pre_defined, reserved, pre_defined
                "0140 00F0 00480000 00480000 00000000 0001", // 320x240, 72 dpi, frame_count 1
                "0000000000000000000000000000000000000000000000000000000000000000", // compressorname
                "0018 FFFF",                                 // depth 24, pre_defined -1
                "00000032 61766343", TestTracks.AvcRecord320x240),
            stsd.Bytes);
    }

    [Fact]
    public void Hvc1SampleEntryCarriesTheRecordAsHvcC()
    {
        var entry = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Hevc1280x720()))[1].Find("trak/mdia/minf/stbl/stsd/hvc1");
        var record = Hex.Bytes(HevcDecoderConfigurationRecordTests.Record1280x720);
        Assert.Equal(Bytes("0500 02D0"), entry.Bytes.AsSpan(32, 4).ToArray());  // 1280x720
        var hvcC = Assert.Single(entry.Children);
        Assert.Equal("hvcC", hvcC.Type);
        Assert.Equal(record, hvcC.Body.ToArray());
    }

    [Fact]
    public void Mp4aSampleEntryWithEsds()
    {
        var stsd = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac()))[1].Find("trak/mdia/minf/stbl/stsd");
        Assert.Equal(
            Bytes("0000005B 73747364 00000000 00000001",
                "0000004B 6D703461 000000000000 0001 0000000000000000", // mp4a, data_reference_index 1
                "0002 0010 0000 0000 AC440000",                          // stereo, 16 bits, 44100.0
                "00000027 65736473 00000000",
                "03 19 0000 00",                                         // ES_Descriptor, ES_ID 0
                "04 11 40 15 000000 00000000 00000000",                  // MPEG-4 audio, audio stream
                "05 02 1210",                                            // the AudioSpecificConfig
                "06 01 02"),                                             // SLConfig predefined 2
            stsd.Bytes);
    }

    [Fact]
    public void ALongAudioSpecificConfigGetsMultiByteDescriptorLengths()
    {
        // 200 bytes: ffmpeg-style trailing data the parser ignores. 200 = 0x81 0x48 in 7-bit groups.
        var asc = "1210" + new string('0', 396);
        var esds = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac(asc: asc)))[1].Find("trak/mdia/minf/stbl/stsd/mp4a/esds");
        var descriptors = esds.Bytes.AsSpan(12);
        // DecoderConfig content: 13 + DecSpecificInfo (1 + 2 + 200) = 216 -> 0x81 0x58;
        // ES content: 3 + DecoderConfig (1 + 2 + 216) + SLConfig 3 = 225 -> 0x81 0x61.
        Assert.Equal(Bytes("03 8161 0000 00 04 8158 40 15"), descriptors[..11].ToArray());
        Assert.Equal(Bytes("05 8148 1210"), descriptors.Slice(22, 5).ToArray());
        Assert.Equal(Bytes("06 01 02"), descriptors[^3..].ToArray());
        Assert.Equal(12 + 1 + 2 + 225, esds.Size);
    }

    [Fact]
    public void TrexDefaultsToTheOneSampleDescriptionAndTheKindsFlags()
    {
        var video = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Avc320x240(trackId: 1)))[1].Find("mvex/trex");
        Assert.Equal(Bytes("00000020 74726578 00000000 00000001 00000001 00000000 00000000 01010000"), video.Bytes);
        var audio = Boxes.Parse(Fmp4InitSegment.Create(TestTracks.Aac(trackId: 2)))[1].Find("mvex/trex");
        Assert.Equal(Bytes("00000020 74726578 00000000 00000002 00000001 00000000 00000000 02000000"), audio.Bytes);
    }

    [Fact]
    public void TwoTracksShareOneMoov()
    {
        var init = Fmp4InitSegment.Create(TestTracks.Avc320x240(trackId: 1), TestTracks.Aac(trackId: 2));
        var moov = Boxes.Parse(init)[1];
        Assert.Equal(["mvhd", "trak", "trak", "mvex"], moov.Children.Select(b => b.Type));
        Assert.Equal(["vide", "soun"], moov.Children.Where(b => b.Type == "trak").Select(t => System.Text.Encoding.ASCII.GetString(t.Find("mdia/hdlr").Bytes, 16, 4)));
        Assert.Equal(2, moov.Find("mvex").Children.Count);
        Assert.Equal(Bytes("00000003"), moov.Find("mvhd").Bytes[^4..]);
        Assert.Equal(Fmp4InitSegment.Measure(TestTracks.Avc320x240(1), TestTracks.Aac(2)), init.Length);
    }

    [Fact]
    public void WritesIntoALargerSpanAndSaysHowMuch()
    {
        var track = TestTracks.Aac();
        var destination = new byte[1000];
        var written = Fmp4InitSegment.Write(destination, track);
        Assert.Equal(Fmp4InitSegment.Create(track), destination[..written]);
        Assert.All(destination[written..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void RefusesNoTrackTooManyANullOneOrTwoWithOneId()
    {
        Assert.Contains("at least one track", Assert.Throws<ArgumentException>(() => Fmp4InitSegment.Measure()).Message);
        var many = Enumerable.Range(1, Fmp4InitSegment.MaxTracks + 1).Select(i => TestTracks.Aac((uint)i)).ToArray();
        Assert.Contains("at most 8 tracks, not 9", Assert.Throws<ArgumentException>(() => Fmp4InitSegment.Measure(many)).Message);
        Assert.Contains("Track 1 is null", Assert.Throws<ArgumentException>(() => Fmp4InitSegment.Measure(TestTracks.Aac(), null!)).Message);
        Assert.Contains("Two tracks have the id 1", Assert.Throws<ArgumentException>(() => Fmp4InitSegment.Create(TestTracks.Avc320x240(1), TestTracks.Aac(1))).Message);
    }

    [Fact]
    public void RefusesAShortDestination()
    {
        var track = TestTracks.Avc320x240();
        var error = Assert.Throws<ArgumentException>("destination", () => Fmp4InitSegment.Write(new byte[660], track));
        Assert.Contains("holds 660 bytes; this init segment needs 661", error.Message);
    }

    private static byte[] Bytes(params string[] groups) => Hex.Bytes(string.Concat(groups));
}
