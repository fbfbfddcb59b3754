namespace Appliance.Load.Viewers.Counting;

/// <summary>What a live connection's bytes go to, read by <see cref="LiveReadLoop"/>.</summary>
internal interface ILiveConsumer
{
    /// <summary>Takes all of <paramref name="data"/>; true once the stream has ended by its own framing (a chunked body's last chunk).</summary>
    bool Consume(ReadOnlyMemory<byte> data);

    /// <summary>Bytes to send to the server (RTMP replies); empty when there are none.</summary>
    ReadOnlyMemory<byte> Outgoing { get; }

    /// <summary><see cref="Outgoing"/> has been sent.</summary>
    void Sent();
}
