using System.Buffers;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// Where a server reply's AMF0 payload is written before it is cut into chunks: one writer per
/// thread, reused. A reply lives here only between its encoding and its copy into the chunk
/// buffer, on one thread, so no reply ever sees another's bytes; a writer per reply was garbage
/// on every join.
/// </summary>
internal static class RtmpReplyScratch
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_writer;

    /// <summary>The calling thread's writer, emptied.</summary>
    public static ArrayBufferWriter<byte> Take()
    {
        var writer = t_writer ??= new ArrayBufferWriter<byte>(512);
        writer.ResetWrittenCount();
        return writer;
    }
}
