using Appliance.Codecs.Amf0;
using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>A decision (connect, publish, play) goes on, ends the connection, or holds the messages after it until it is made.</summary>
public class RtmpServerDecisionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AReasonFromAPublishDecisionEndsTheConnectionBeforeTheMessagesAfterIt()
    {
        using var server = new RtmpServerHarness();
        server.Handler.Publish = _ => new("stream default/live/cam is already being published");
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("publish", 2, null, Amf0Value.FromString("cam"));
        server.SendMessage(6, 0, RtmpMessageType.Video, 1, [0x17]);
        var reason = await server.RunToEndAsync();

        Assert.Equal("stream default/live/cam is already being published", reason);
        Assert.Equal(["handshake", "connect live", "publish cam "], server.Handler.Events);
    }

    [Fact]
    public async Task APendingPlayDecisionHoldsBackTheMessagesAfterItUntilItIsMade()
    {
        using var server = new RtmpServerHarness();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler.Play = _ =>
        {
            asked.SetResult();
            return new(verdict.Task);
        };
        server.SendHandshake();
        server.SendConnect();
        server.SendCommand("play", 2, null, Amf0Value.FromString("cam"));
        server.SendCommand("pause", 0, null, Amf0Value.FromBoolean(true), Amf0Value.FromNumber(0));
        server.SendPing(7);
        server.Close();

        var run = Task.Run(server.Connection.RunAsync);
        await asked.Task.WaitAsync(Timeout);
        var whileWaiting = server.Handler.Events;
        var repliesWhileWaiting = server.Replies().Count;
        verdict.SetResult(null);
        var reason = await run.WaitAsync(Timeout);

        Assert.Equal(["handshake", "connect live", "play cam"], whileWaiting);
        Assert.Equal("peer closed", reason);
        Assert.Equal(["handshake", "connect live", "play cam", "pause True 0"], server.Handler.Events);
        Assert.Equal(repliesWhileWaiting + 1, server.Replies().Count);
    }

    [Fact]
    public async Task APendingDecisionThatEndsWithAReasonEndsTheConnectionWithIt()
    {
        using var server = new RtmpServerHarness();
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler.Publish = _ => new(verdict.Task);
        server.SendHandshake();
        server.SendConnect();
        server.SendCommand("publish", 2, null, Amf0Value.FromString("cam"));
        server.SendMessage(6, 0, RtmpMessageType.Video, 1, [0x17]);
        server.Close();

        var run = Task.Run(server.Connection.RunAsync);
        verdict.SetResult("auth refused: bad token");
        var reason = await run.WaitAsync(Timeout);

        Assert.Equal("auth refused: bad token", reason);
        Assert.DoesNotContain(server.Handler.Events, e => e.StartsWith("media", StringComparison.Ordinal));
    }

    [Fact]
    public async Task APendingConnectDecisionIsWaitedForToo()
    {
        using var server = new RtmpServerHarness();
        var verdict = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler.Connect = request => new(verdict.Task.ContinueWith(t =>
        {
            server.Connection.SendConnectResult(request);
            return t.Result;
        }, TaskScheduler.Default));
        server.SendHandshake();
        server.SendConnect();
        server.SendCommand("createStream", 2, null);
        server.Close();

        var run = Task.Run(server.Connection.RunAsync);
        verdict.SetResult(null);
        await run.WaitAsync(Timeout);

        Assert.Equal(["_result", "_result"], server.CommandReplies().Select(c => c.Name));
        Assert.Equal([1.0, 2], server.CommandReplies().Select(c => c.TransactionId));
    }

    [Fact]
    public async Task AFailedDecisionEndsTheConnectionWithItsException()
    {
        using var server = new RtmpServerHarness();
        server.Handler.Play = _ => ValueTask.FromException<string?>(new RtmpProtocolException("play on a connection that already publishes or plays"));
        server.SendHandshake();
        server.SendConnect();

        server.SendCommand("play", 2, null, Amf0Value.FromString("cam"));
        var failed = await Assert.ThrowsAsync<RtmpProtocolException>(server.RunToEndAsync);

        Assert.Equal("play on a connection that already publishes or plays", failed.Message);
    }
}
