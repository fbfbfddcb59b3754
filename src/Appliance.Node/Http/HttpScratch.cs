using System.Buffers;
using Appliance.Protocols.Http;
using Microsoft.Extensions.ObjectPool;

namespace Appliance.Node.Http;

/// <summary>
/// What an HTTP connection needs only while it parses and answers: the request and a buffer for
/// response heads. Pooled, because playlist-heavy loads open and close connections all the time.
/// </summary>
internal sealed class HttpScratch
{
    private const int MaxRetainedHeadBytes = 64 * 1024;

    private static readonly ObjectPool<HttpScratch> Pool =
        new DefaultObjectPool<HttpScratch>(new Policy(), maximumRetained: 4096);

    public HttpRequest Request { get; } = new();

    public ArrayBufferWriter<byte> Head { get; private set; } = new(512);

    public static HttpScratch Rent() => Pool.Get();

    public void Return() => Pool.Return(this);

    private sealed class Policy : IPooledObjectPolicy<HttpScratch>
    {
        public HttpScratch Create() => new();

        public bool Return(HttpScratch scratch)
        {
            scratch.Request.Reset();
            if (scratch.Head.Capacity > MaxRetainedHeadBytes)
            {
                // A huge listing grew it; do not keep that much per pooled connection.
                scratch.Head = new ArrayBufferWriter<byte>(512);
            }
            scratch.Head.ResetWrittenCount();
            return true;
        }
    }
}
