using Appliance.Load.Viewers.Cmaf;

namespace Appliance.Load.Tests.Cmaf;

public class Fmp4FragmentReaderTests
{
    private sealed class Heard : IFragmentListener
    {
        public List<(int Index, int Samples, long AtByte)> Fragments { get; } = [];

        public long Position { get; set; }

        public void OnFragment(int index, int samples) => Fragments.Add((index, samples, Position));
    }

    private static readonly byte[][] Chunks =
    [
        CmafMedia.Chunk(CmafMedia.Video(), 1, samples: 5, segmentType: true),
        CmafMedia.Chunk(CmafMedia.Video(), 2, samples: 5),
        CmafMedia.Chunk(CmafMedia.Video(), 3, samples: 3),
    ];

    private static byte[] Segment => [.. Chunks.SelectMany(c => c)];

    [Fact]
    public void A_segment_is_its_chunks_with_their_samples()
    {
        var reader = new Fmp4FragmentReader();
        var heard = new Heard();
        reader.Begin(heard);

        reader.Write(Segment);

        Assert.Null(reader.End());
        Assert.Equal(3, reader.Fragments);
        Assert.Equal(13, reader.Samples);
        Assert.Equal(new[] { (0, 5), (1, 5), (2, 3) }, heard.Fragments.Select(f => (f.Index, f.Samples)));
    }

    [Fact]
    public void Each_chunk_is_heard_as_its_last_byte_arrives_however_the_bytes_are_split()
    {
        var reader = new Fmp4FragmentReader();
        var heard = new Heard();
        reader.Begin(heard);
        var segment = Segment;

        for (var i = 0; i < segment.Length; i++)
        {
            heard.Position = i + 1;
            reader.Write(segment.AsSpan(i, 1));
        }

        Assert.Null(reader.End());
        var ends = new[] { Chunks[0].Length, Chunks[0].Length + Chunks[1].Length, segment.Length };
        Assert.Equal(ends.Select(e => (long)e), heard.Fragments.Select(f => f.AtByte));
        Assert.Equal(13, reader.Samples);
    }

    [Fact]
    public void The_reader_starts_over_for_each_body()
    {
        var reader = new Fmp4FragmentReader();
        reader.Begin(null);
        reader.Write(Chunks[0].AsSpan(0, 20));

        reader.Begin(null);
        reader.Write(Chunks[1]);

        Assert.Null(reader.End());
        Assert.Equal(1, reader.Fragments);
        Assert.Equal(5, reader.Samples);
    }

    [Fact]
    public void A_body_cut_short_is_malformed_and_its_last_chunk_is_not_counted()
    {
        var reader = new Fmp4FragmentReader();
        reader.Begin(null);
        var segment = Segment;

        reader.Write(segment.AsSpan(0, segment.Length - 10));

        Assert.Equal($"a box cut short at byte {segment.Length - 10}", reader.End());
        Assert.Equal(2, reader.Fragments);
    }

    [Fact]
    public void A_64_bit_box_size_is_read()
    {
        var mdat = new byte[16 + 4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(mdat, 1);
        "mdat"u8.CopyTo(mdat.AsSpan(4));
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(mdat.AsSpan(8), mdat.Length);
        var moof = CmafMedia.Box("moof", CmafMedia.Box("traf", CmafMedia.Box("trun", 0, 0, 0, 0, 0, 0, 0, 7)));
        var reader = new Fmp4FragmentReader();
        reader.Begin(null);

        reader.Write([.. moof, .. mdat]);

        Assert.Null(reader.End());
        Assert.Equal(1, reader.Fragments);
        Assert.Equal(7, reader.Samples);
    }

    public static TheoryData<byte[], string> Malformed() => new()
    {
        { CmafMedia.SizedBox("moof", 4), "a 'moof' box of 4 bytes at byte 0, shorter than its header" },
        { CmafMedia.Box("moof", CmafMedia.SizedBox("traf", 100, 0, 0, 0, 0)), "a 'traf' box of 100 bytes at byte 8, past the end of its parent" },
        { CmafMedia.Box("moof", CmafMedia.Box("traf", CmafMedia.Box("trun", 0, 0, 0, 0))), "a 'trun' box of 12 bytes at byte 16, too short for its sample count" },
        { CmafMedia.Box("traf", CmafMedia.Box("trun", 0, 0, 0, 0, 0, 0, 0, 1)), "a 'traf' box of 24 bytes at byte 0, outside a moof" },
        { CmafMedia.Box("moof", CmafMedia.Box("moof")), "a 'moof' box of 8 bytes at byte 8, inside another box" },
        { CmafMedia.SizedBox("\u0001\u0002ab", 3), "a '??ab' box of 3 bytes at byte 0, shorter than its header" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_box_is_refused_saying_where_and_why(byte[] body, string expected)
    {
        var reader = new Fmp4FragmentReader();
        reader.Begin(null);

        reader.Write(body);
        reader.Write(Chunks[1]);

        Assert.Equal(expected, reader.End());
        Assert.Equal(0, reader.Fragments);
    }

    [Fact]
    public void An_init_says_whether_its_track_is_video()
    {
        Assert.Equal("vide", InitSegment.Handler(CmafMedia.Init(CmafMedia.Video())));
        Assert.Equal("soun", InitSegment.Handler(CmafMedia.Init(CmafMedia.Audio())));
        Assert.Null(InitSegment.Handler("not an init"u8));
    }
}
