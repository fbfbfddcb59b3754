using System.Buffers;
using Appliance.Protocols.Http;
using Microsoft.Extensions.ObjectPool;

namespace Appliance.Node.Http;

/// <summary>
/// What an HTTP connection needs only while it parses requests and answers them (not while it
/// streams): the request being parsed and the buffers responses are written into. Pooled,
/// because playlist-heavy loads open and close connections all the time.
/// </summary>
internal sealed class HttpExchangeBuffers
{
    private const int MaxRetainedHeadBytes = 64 * 1024;

    private static readonly ObjectPool<HttpExchangeBuffers> Pool =
        new DefaultObjectPool<HttpExchangeBuffers>(new Policy(), maximumRetained: 4096);

    public HttpRequest Request { get; } = new();

    public ArrayBufferWriter<byte> Head { get; private set; } = new(512);

    /// <summary>A body written before its head, which carries its length (CMAF playlists and MPDs).</summary>
    public ArrayBufferWriter<byte> Body { get; private set; } = new(1024);

    public static HttpExchangeBuffers Rent() => Pool.Get();

    public void Return() => Pool.Return(this);

    private sealed class Policy : IPooledObjectPolicy<HttpExchangeBuffers>
    {
        public HttpExchangeBuffers Create() => new();

        public bool Return(HttpExchangeBuffers buffers)
        {
            buffers.Request.Reset();
            if (buffers.Head.Capacity > MaxRetainedHeadBytes)
            {
                // A huge listing grew it; do not keep that much per pooled connection.
                buffers.Head = new ArrayBufferWriter<byte>(512);
            }
            buffers.Head.ResetWrittenCount();
            if (buffers.Body.Capacity > MaxRetainedHeadBytes)
            {
                buffers.Body = new ArrayBufferWriter<byte>(1024);
            }
            buffers.Body.ResetWrittenCount();
            return true;
        }
    }
}
