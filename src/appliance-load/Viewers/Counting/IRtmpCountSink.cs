namespace Appliance.Load.Viewers.Counting;

/// <summary>What <see cref="RtmpChunkCounter"/> reports, message by message, in the order the messages complete.</summary>
internal interface IRtmpCountSink
{
    /// <summary>
    /// A whole audio, video, data or aggregate message. Only its first bytes were kept
    /// (<paramref name="head"/>: up to the counter's head size, video messages only; empty for the rest).
    /// </summary>
    void OnMedia(byte typeId, uint timestamp, int length, ReadOnlySpan<byte> head);

    /// <summary>A whole protocol control, user control or command message, reassembled (they are small).</summary>
    void OnMessage(byte typeId, uint streamId, ReadOnlySpan<byte> payload);
}
