using System.Buffers;
using Appliance.Codecs.Hls;
using static Appliance.Codecs.Tests.Hls.HlsPlaylists;

namespace Appliance.Codecs.Tests.Hls;

/// <summary>
/// The playlists are built once per part but written per request (each with its session token):
/// writing into a buffer the caller reuses must allocate nothing.
/// </summary>
public class HlsWriterAllocationTests
{
    [Fact]
    public void WritingAPlaylistPerRequestAllocatesNothing()
    {
        var media = new HlsMediaPlaylist(2000, 200, Segments(100, 12))
        {
            DiscontinuitySequence = 1,
            Open = Open(112, 4),
            RenditionReports = [new HlsRenditionReport("audio.m3u8", 112, 3)],
        };
        HlsVariant[] variants = [new("video.m3u8", 2_000_000, "avc1.64001f,mp4a.40.2") { Width = 1280, Height = 720, FrameRateNumerator = 25, AudioGroupId = "a" }];
        HlsAudioRendition[] audio = [new("a", "audio", "audio.m3u8") { Channels = 2 }];
        var output = new ArrayBufferWriter<byte>(64 * 1024);

        void WriteAll()
        {
            output.ResetWrittenCount();
            HlsMediaPlaylistWriter.Write(media, HlsSkip.None, "session=0123456789abcdef", output);
            HlsMediaPlaylistWriter.Write(media, HlsSkip.V2, "session=0123456789abcdef", output);
            HlsMultivariantPlaylistWriter.Write(variants, audio, "session=0123456789abcdef", output);
        }

        WriteAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        WriteAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > 4000);
    }
}
