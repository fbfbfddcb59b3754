namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A video frame as one viewer got it: its timestamp (past RTMP's wrap), when it arrived, and the bytes received by then.</summary>
public readonly record struct FrameArrival(long Timestamp, long AtMs, long BytesBefore);
