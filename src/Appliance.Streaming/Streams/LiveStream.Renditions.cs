using Appliance.Streaming.Media;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Packaging.Hls;

namespace Appliance.Streaming.Streams;

/// <summary>
/// What a group of renditions reads of the stream: its format (codecs, picture size, audio
/// configuration), and its packaging without counting as demand, so the node's status and its
/// alignment sweep do not keep packaging running that nobody watches.
/// </summary>
public sealed partial class LiveStream
{
    private volatile StreamFormat _format = StreamFormat.None;

    /// <summary>What the current sequence headers declare.</summary>
    public StreamFormat Format => _format;

    /// <summary>The HLS segment window if HLS is packaged, without counting as an HLS request.</summary>
    public SegmentWindow? PackagedHlsWindow
    {
        get
        {
            lock (_lock)
            {
                return _hls?.Window;
            }
        }
    }

    /// <summary>The CMAF packager if CMAF is packaged, without counting as a CMAF request.</summary>
    public CmafPackager? PackagedCmaf
    {
        get
        {
            lock (_lock)
            {
                return _cmaf;
            }
        }
    }

    /// <summary>A sequence header is in effect from now on (under the lock, as it is remembered).</summary>
    private void NoteFormat(MediaFrame header)
    {
        _format = header.Kind == FrameKind.Video
            ? _format.WithVideoHeader(header.Payload.Span)
            : _format.WithAudioHeader(header.Payload.Span);
    }
}
