using Appliance.Node.Sessions;
using Appliance.Streaming.Logging;
using Appliance.Tests.Support;
using Appliance.Transport.Accounting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Node.Tests.Support;

/// <summary>A session that only writes, under the protocol a test gives it: to count what its writer flushes.</summary>
internal sealed class ProbeSession(PipeConnection connection, string protocol) : SessionBase(connection, new NoHost())
{
    public override string Protocol => protocol;

    public override string Listener => "http";

    protected override string Family => "http";

    protected override string AccessStatus => "200";

    public Task<string> RunWriter() => Writer.RunAsync();

    /// <summary>Queues one reply and waits until the writer has flushed it: one flush, one write.</summary>
    public async Task FlushOneAsync()
    {
        var before = Writer.Flushes;
        Writer.Send("x"u8);
        await Eventually.WaitAsync(() => Writer.Flushes > before, "the writer to flush a reply");
    }

    /// <summary>Flushes <paramref name="count"/> replies, then stops the writer, as a session does before it leaves the table.</summary>
    public async Task FlushAndStopAsync(int count)
    {
        var run = RunWriter();
        for (var i = 0; i < count; i++)
        {
            await FlushOneAsync();
        }
        Abort("test over");
        await run.WaitAsync(Eventually.Timeout);
    }

    protected override Task<string> ReadAsync() => throw new NotSupportedException("a probe session only writes");

    protected override void OnWriterGaveUp(string reason)
    {
    }

    /// <summary>A probe never runs a whole session, so nothing of the node is touched.</summary>
    private sealed class NoHost : ISessionHost
    {
        public SessionTable Sessions => throw new NotSupportedException();

        public TrafficTotals Traffic => throw new NotSupportedException();

        public AccessLog AccessLog => throw new NotSupportedException();

        public ILogger Logger => NullLogger.Instance;
    }
}
