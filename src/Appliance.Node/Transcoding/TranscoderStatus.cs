using Appliance.Streaming.Streams;

namespace Appliance.Node.Transcoding;

/// <summary>One rung of a running transcoder: its stream, its target and its measured bit rate (the rung stream's ingest rate).</summary>
public readonly record struct RungStatus(string Label, StreamKey Key, int Height, long TargetBitsPerSecond, long MeasuredBitsPerSecond, int Width);

/// <summary>
/// A transcoder at one instant, for status, the streams listing and metrics: its state (starting,
/// running, restarting), its ffmpeg (pid, frames out, fps, speed against real time), how often it
/// was restarted, and the CPU its children used (in all, and over the last second).
/// </summary>
public sealed record TranscoderStatus(
    StreamKey Source,
    string State,
    string Encoder,
    int Pid,
    long Frames,
    double Fps,
    double Speed,
    int Restarts,
    double CpuSeconds,
    double CpuPercent,
    long UptimeMs,
    IReadOnlyList<RungStatus> Rungs);
