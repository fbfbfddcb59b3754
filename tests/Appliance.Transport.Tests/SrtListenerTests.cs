using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Appliance.Core.Buffers;
using Appliance.Transport.Srt;

namespace Appliance.Transport.Tests;

/// <summary>The SRT listener and caller over loopback, with the machine's libsrt.</summary>
public sealed class SrtListenerTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Accepts_a_caller_with_its_stream_id_and_carries_bytes_both_ways()
    {
        var seen = new ConcurrentQueue<SrtHandshake>();
        var accepted = new TaskCompletionSource<SrtConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        await using var listener = new SrtListener(Loopback, h =>
        {
            seen.Enqueue(h);
            return SrtHandshakeDecision.Accept(new SrtSettings());
        }, async c =>
        {
            accepted.SetResult(c);
            await release.Task;
        });
        listener.Start();

        var caller = SrtCaller.Connect(listener.LocalEndPoint, "#!::r=live/one,m=publish", new SrtSettings());
        var server = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var payload = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        await Send(caller, payload);
        var received = await ReadExactly(server, payload.Length);
        await Send(server, [1, 2, 3]);
        var back = await ReadExactly(caller, 3);
        var stats = server.Stats();
        server.Abort();
        var last = server.Stats();
        release.SetResult();
        caller.Abort();

        Assert.Equal("#!::r=live/one,m=publish", Assert.Single(seen).StreamId);
        Assert.Equal("#!::r=live/one,m=publish", server.StreamId);
        Assert.Equal(IPAddress.Loopback, server.RemoteEndPoint!.Address);
        Assert.Equal(payload, received);
        Assert.Equal(new byte[] { 1, 2, 3 }, back);
        // 3000 bytes leave in messages of at most 1316: three packets at least.
        Assert.True(stats!.Value.PacketsReceived >= 3, $"packets received {stats.Value.PacketsReceived}");
        Assert.InRange(stats.Value.RttMs, 0, 1000);
        // Closed, it still has the figures read just before the close (the access log line's).
        Assert.True(last!.Value.PacketsReceived >= stats.Value.PacketsReceived, $"packets received after the close {last.Value.PacketsReceived}");
    }

    [Fact]
    public async Task A_connection_whose_caller_closed_first_keeps_the_figures_read_while_it_was_open()
    {
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<SrtConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new SrtListener(Loopback, _ => SrtHandshakeDecision.Accept(new SrtSettings()), async c =>
        {
            // Reads until the caller's close ends the input, as a publishing session does; nobody asks for figures before.
            long bytes = 0;
            while (true)
            {
                var result = await c.Input.ReadAsync();
                bytes += result.Buffer.Length;
                c.Input.AdvanceTo(result.Buffer.End);
                if (bytes >= 3000)
                {
                    delivered.TrySetResult();
                }
                if (result.IsCompleted)
                {
                    break;
                }
            }
            ended.SetResult(c);
        });
        listener.Start();

        var caller = SrtCaller.Connect(listener.LocalEndPoint, "live/short", new SrtSettings());
        await Send(caller, Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray());
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        caller.Abort();
        var server = await ended.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // libsrt no longer reports the broken socket: this is what was read before the caller's close.
        var last = server.Stats();
        Assert.NotNull(last);
        Assert.True(last.Value.PacketsReceived >= 1, $"packets received {last.Value.PacketsReceived}");
    }

    [Fact]
    public async Task A_connection_that_receives_nothing_for_longer_than_the_receive_timeout_stays_open()
    {
        var accepted = new TaskCompletionSource<SrtConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        await using var listener = new SrtListener(Loopback, _ => SrtHandshakeDecision.Accept(new SrtSettings()), async c =>
        {
            accepted.SetResult(c);
            await release.Task;
        });
        listener.Start();
        var caller = SrtCaller.Connect(listener.LocalEndPoint, "#!::r=live/idle,m=request", new SrtSettings());
        var server = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // A player's connection: the node reads (its receive thread runs) but the caller sends nothing,
        // for longer than the 1 s receive timeout that wakes the thread to read SRT's figures.
        var reading = server.Input.ReadAsync().AsTask();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.IdleWakes < 2 && !server.IsAborted)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the receive timed out {server.IdleWakes} times in 10 s");
            await Task.Delay(50);
        }

        Assert.False(reading.IsCompleted, "the idle connection's input ended");
        Assert.False(server.IsAborted, "the idle connection was closed");
        await Send(server, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, await ReadExactly(caller, 3));
        release.SetResult();
        caller.Abort();
    }

    [Fact]
    public async Task A_refused_handshake_reaches_the_caller_as_its_reject_reason()
    {
        await using var listener = new SrtListener(Loopback, _ => SrtHandshakeDecision.Reject(SrtHandshakeDecision.Forbidden), _ => Task.CompletedTask);
        listener.Start();

        var refused = Assert.Throws<SrtException>(() => SrtCaller.Connect(listener.LocalEndPoint, "live/x", new SrtSettings()));

        Assert.Equal(SrtHandshakeDecision.Forbidden, refused.RejectReason);
    }

    [Theory]
    [InlineData("a wrong passphrase")]
    [InlineData(null)]
    public async Task A_caller_without_the_listeners_passphrase_is_refused_and_reported(string? passphrase)
    {
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        await using var listener = new SrtListener(Loopback, _ => SrtHandshakeDecision.Accept(new SrtSettings { Passphrase = "the right passphrase", KeyLength = 16 }),
            _ =>
            {
                Interlocked.Increment(ref handled);
                return Task.CompletedTask;
            })
        {
            HandshakeFailed = (_, streamId) => failed.TrySetResult(streamId),
        };
        listener.Start();

        Assert.Throws<SrtException>(() => SrtCaller.Connect(listener.LocalEndPoint, "live/secret", new SrtSettings { Passphrase = passphrase }));

        Assert.Equal("live/secret", await failed.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, Volatile.Read(ref handled));
    }

    [Fact]
    public async Task The_right_passphrase_connects()
    {
        var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new SrtListener(Loopback, _ => SrtHandshakeDecision.Accept(new SrtSettings { Passphrase = "the right passphrase", KeyLength = 32 }),
            _ =>
            {
                accepted.TrySetResult();
                return Task.CompletedTask;
            });
        listener.Start();

        var caller = SrtCaller.Connect(listener.LocalEndPoint, "live/secret", new SrtSettings { Passphrase = "the right passphrase", KeyLength = 32 });

        await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        caller.Abort();
    }

    private static async Task Send(SrtConnection connection, byte[] bytes)
    {
        var buffer = SharedBuffer.CopyOf(bytes);
        try
        {
            await connection.Output.WriteAsync(new[] { new BufferSlice(buffer) }, CancellationToken.None);
        }
        finally
        {
            buffer.Release();
        }
    }

    private static async Task<byte[]> ReadExactly(SrtConnection connection, int count)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await connection.Input.ReadAsync(cts.Token);
            if (result.Buffer.Length >= count || result.IsCompleted)
            {
                var bytes = result.Buffer.Slice(0, Math.Min(count, result.Buffer.Length)).ToArray();
                connection.Input.AdvanceTo(result.Buffer.GetPosition(bytes.Length));
                return bytes;
            }
            connection.Input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
