using Appliance.Core.Buffers;

namespace Appliance.Streaming.Ingest;

/// <summary>
/// Takes RTMP-style media messages (type id 8 audio, 9 video, 18 data; 32-bit ms stamps): a
/// stream's <see cref="MediaIngest"/>, or a pull's feed, which hands them on as an RTMP or HTTP-FLV
/// pull does. <see cref="TsIngest"/> writes into one.
/// </summary>
public interface IMediaMessageSink
{
    /// <summary>Takes over <paramref name="payload"/>'s reference.</summary>
    void Accept(byte typeId, uint timestamp, SharedBuffer payload);
}
