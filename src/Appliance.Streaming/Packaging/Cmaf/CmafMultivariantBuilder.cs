using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// The multivariant playlists: one variant (the video playlist, or the audio one for an
/// audio-only stream) and, with both tracks, the audio playlist as its EXT-X-MEDIA rendition.
/// CODECS comes from the configuration records, RESOLUTION from the SPS, FRAME-RATE and
/// BANDWIDTH (peak segment rate, the audio's included) from what the window holds.
/// </summary>
internal static class CmafMultivariantBuilder
{
    public const string AudioGroup = "audio";

    public static CmafMultivariant Build(CmafTrack? video, CmafTrack? audio, bool lowLatency)
    {
        var videoInit = video?.Init;
        var audioInit = audio?.Init;
        var audioRates = audioInit is not null ? CmafRates.Measure(audio!.Window, audio) : default;
        if (videoInit is null)
        {
            if (audioInit is null)
            {
                return new CmafMultivariant([], []);
            }
            var only = new HlsVariant(CmafName.Playlist(Fmp4TrackKind.Audio, lowLatency), audioRates.PeakBitsPerSecond, audioInit.Codecs)
            {
                AverageBandwidth = audioRates.AverageBitsPerSecond,
            };
            return new CmafMultivariant([only], []);
        }
        var videoRates = CmafRates.Measure(video!.Window, video);
        var codecs = audioInit is null ? videoInit.Codecs : $"{videoInit.Codecs},{audioInit.Codecs}";
        var variant = new HlsVariant(CmafName.Playlist(Fmp4TrackKind.Video, lowLatency), videoRates.PeakBitsPerSecond + audioRates.PeakBitsPerSecond, codecs)
        {
            AverageBandwidth = videoRates.AverageBitsPerSecond + audioRates.AverageBitsPerSecond,
            Width = videoInit.Track.Width,
            Height = videoInit.Track.Height,
            FrameRateNumerator = videoRates.FrameRateNumerator,
            FrameRateDenominator = videoRates.FrameRateDenominator,
            AudioGroupId = audioInit is null ? null : AudioGroup,
        };
        if (audioInit is null)
        {
            return new CmafMultivariant([variant], []);
        }
        var rendition = new HlsAudioRendition(AudioGroup, "audio", CmafName.Playlist(Fmp4TrackKind.Audio, lowLatency))
        {
            Channels = audioInit.Track.Channels,
        };
        return new CmafMultivariant([variant], [rendition]);
    }
}
