using Appliance.Codecs.Fmp4;
using Appliance.Streaming.Packaging.Cmaf;

namespace Appliance.Streaming.Tests.Packaging.Cmaf;

/// <summary>The file names every node uses, and the one spelling each has.</summary>
public class CmafNameTests
{
    [Theory]
    [InlineData("cmaf.m3u8", CmafFileKind.Multivariant, Fmp4TrackKind.Video, false, 0L, 0, 0u)]
    [InlineData("llhls.m3u8", CmafFileKind.Multivariant, Fmp4TrackKind.Video, true, 0L, 0, 0u)]
    [InlineData("video.m3u8", CmafFileKind.MediaPlaylist, Fmp4TrackKind.Video, false, 0L, 0, 0u)]
    [InlineData("audio-ll.m3u8", CmafFileKind.MediaPlaylist, Fmp4TrackKind.Audio, true, 0L, 0, 0u)]
    [InlineData("video-init-0a1b2c3d.mp4", CmafFileKind.Init, Fmp4TrackKind.Video, false, 0L, 0, 0x0a1b2c3du)]
    [InlineData("audio-0.m4s", CmafFileKind.Segment, Fmp4TrackKind.Audio, false, 0L, 0, 0u)]
    [InlineData("video-2147483648.m4s", CmafFileKind.Segment, Fmp4TrackKind.Video, false, 2147483648L, 0, 0u)]
    [InlineData("video-1800.12.m4s", CmafFileKind.Part, Fmp4TrackKind.Video, false, 1800L, 12, 0u)]
    public void Each_name_parses_to_what_it_names_and_back(string text, CmafFileKind kind, Fmp4TrackKind track, bool lowLatency, long number, int part, uint initId)
    {
        Assert.True(CmafName.TryParse(text, out var name));
        Assert.Equal(new CmafName(kind, track, lowLatency, number, part, initId), name);
        Assert.Equal(text, name.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("index.m3u8")]
    [InlineData("video")]
    [InlineData("video-.m4s")]
    [InlineData("video-01.m4s")]
    [InlineData("video-+1.m4s")]
    [InlineData("video--1.m4s")]
    [InlineData("video-1.m4s.m4s")]
    [InlineData("video-1.01.m4s")]
    [InlineData("video-1.100000.m4s")]
    [InlineData("video-1.2.3.m4s")]
    [InlineData("video-99999999999999999.m4s")]
    [InlineData("video-1.ts")]
    [InlineData("VIDEO-1.m4s")]
    [InlineData("subtitles-1.m4s")]
    [InlineData("video-init-0A1B2C3D.mp4")]
    [InlineData("video-init-0a1b2c3.mp4")]
    [InlineData("video-init-0a1b2c3dd.mp4")]
    [InlineData("video-init-0a1b2c3g.mp4")]
    [InlineData("video-ll.m3u")]
    public void Anything_else_is_no_name_of_ours(string text) => Assert.False(CmafName.TryParse(text, out _));
}
