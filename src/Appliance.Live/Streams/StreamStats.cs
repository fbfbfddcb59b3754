using Appliance.Live.Media;

namespace Appliance.Live.Streams;

/// <summary>Counters of what a stream has taken in, for the streams listing and the control socket.</summary>
public sealed class StreamStats
{
    private long _frames;
    private long _bytes;
    private long _videoFrames;

    public long Frames => Interlocked.Read(ref _frames);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long VideoFrames => Interlocked.Read(ref _videoFrames);

    public string? VideoCodec { get; set; }

    public string? AudioCodec { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    internal void OnFrame(MediaFrame frame)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _bytes, frame.Payload.Length);
        if (frame.Kind == FrameKind.Video && !frame.IsSequenceHeader)
        {
            Interlocked.Increment(ref _videoFrames);
        }
    }
}
