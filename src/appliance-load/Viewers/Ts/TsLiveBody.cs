using System.Buffers;
using Appliance.Load.Viewers.Http;
using Appliance.Protocols.Http;

namespace Appliance.Load.Viewers.Ts;

/// <summary>An HTTP-TS body: every byte goes to the viewer's packet counter, through a chunked decoder if the body is chunked.</summary>
internal sealed class TsLiveBody(TsPacketCounter packets, bool chunked) : ILiveBody
{
    private readonly ChunkedBodyDecoder? _chunked = chunked ? new ChunkedBodyDecoder() : null;
    private readonly ChunkedBodySink? _decoded = chunked ? new ChunkedBodySink(packets) : null;

    public bool Consume(ref SequenceReader<byte> reader, ViewerStats stats)
    {
        if (_chunked is not null)
        {
            _chunked.TryRead(ref reader, _decoded!, out var finished);
            return finished;
        }
        foreach (var piece in reader.UnreadSequence)
        {
            packets.Write(piece.Span);
        }
        reader.AdvanceToEnd();
        return false;
    }
}
