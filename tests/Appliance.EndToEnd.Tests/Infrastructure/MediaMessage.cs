namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>One audio/video/data message as a viewer received it, protocol aside.</summary>
public readonly record struct MediaMessage(byte Type, uint Timestamp, byte[] Payload)
{
    public bool IsVideo => Type == 9;

    public bool IsAudio => Type == 8;

    /// <summary>Legacy and enhanced FLV video headers keep the frame type in bits 4-6 of the first byte.</summary>
    public bool IsKeyFrame => IsVideo && Payload.Length > 0 && ((Payload[0] >> 4) & 0x7) == 1;

    public bool IsSequenceHeader => IsVideo
        ? Payload.Length > 1 && ((Payload[0] & 0x80) != 0 ? (Payload[0] & 0x0F) == 0 : Payload[1] == 0)
        : IsAudio && Payload.Length > 1 && (Payload[0] >> 4) == 10 && Payload[1] == 0;
}

public interface IMediaSource : IAsyncDisposable
{
    /// <summary>The next message, or null when the server ended the stream or closed.</summary>
    Task<MediaMessage?> ReadAsync(CancellationToken ct);
}
