using Appliance.Core.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Node.Transcoding;

/// <summary>Lets a connection writer feed a child's stdin: the transcoder's input is the source read as an FLV viewer.</summary>
internal sealed class PipeSink(Stream pipe) : IGatherSink
{
    public async ValueTask WriteAsync(ReadOnlyMemory<BufferSlice> slices, CancellationToken cancellationToken)
    {
        for (var i = 0; i < slices.Length; i++)
        {
            await pipe.WriteAsync(slices.Span[i].Memory, cancellationToken).ConfigureAwait(false);
        }
    }
}
