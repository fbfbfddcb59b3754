using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

/// <summary>The impairment relay itself, against loopback peers made here: no daemon, no ffmpeg.</summary>
public sealed class ImpairmentRelayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var deadline = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        return socket;
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> into)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!into.IsEmpty)
        {
            int read = await socket.ReceiveAsync(into, SocketFlags.None, deadline.Token);
            if (read == 0)
            {
                throw new IOException("closed early");
            }
            into = into[read..];
        }
    }

    private static async Task<double> RoundTripMsAsync(Socket socket)
    {
        var clock = Stopwatch.StartNew();
        await socket.SendAsync(new byte[] { 42 }, SocketFlags.None);
        await ReadExactlyAsync(socket, new byte[1]);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Waits until a figure has not moved for 200 ms: the only way to see that something stopped.</summary>
    private static async Task WaitForStableAsync(Func<long> figure, string what)
    {
        var clock = Stopwatch.StartNew();
        long last = figure();
        var since = Stopwatch.StartNew();
        while (since.ElapsedMilliseconds < 200)
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }
            await Task.Delay(10);
            long now = figure();
            if (now != last)
            {
                last = now;
                since.Restart();
            }
        }
    }

    [Fact]
    public async Task ACleanRelayPassesBytesUnchangedAndInOrder()
    {
        await using var echo = LoopbackServer.StartEcho();
        await using var relay = new ImpairmentRelay(echo.Port);
        using var client = await ConnectAsync(relay.Port);
        var sent = new byte[1_000_000];
        new Random(1).NextBytes(sent);
        var back = new byte[sent.Length];

        var reading = ReadExactlyAsync(client, back);
        await client.SendAsync(sent, SocketFlags.None);
        await reading;

        Assert.Equal(sent, back);
        Assert.Equal(sent, echo.Received());
        Assert.Equal(sent.Length, relay.BytesToTarget);
        Assert.Equal(sent.Length, relay.BytesFromTarget);
    }

    [Fact]
    public async Task ADelaySetWhileConnectedAddsAtLeastItselfToEachDirection()
    {
        await using var echo = LoopbackServer.StartEcho();
        await using var relay = new ImpairmentRelay(echo.Port);
        using var client = await ConnectAsync(relay.Port);
        await RoundTripMsAsync(client);

        relay.Set(new Impairment { DelayMs = 60 });

        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(await RoundTripMsAsync(client), 120, double.MaxValue);
        }
        relay.Set(Impairment.None);
        Assert.InRange(await RoundTripMsAsync(client), 0, 100);
    }

    [Fact]
    public async Task JitterVariesTheDelayButNeverReordersBytes()
    {
        await using var echo = LoopbackServer.StartEcho();
        await using var relay = new ImpairmentRelay(echo.Port) { FromTarget = new Impairment { DelayMs = 20, JitterMs = 15 } };
        using var client = await ConnectAsync(relay.Port);
        var sent = new byte[200];
        for (int i = 0; i < sent.Length; i++)
        {
            sent[i] = (byte)i;
        }
        var back = new byte[sent.Length];
        var reading = ReadExactlyAsync(client, back);

        for (int i = 0; i < sent.Length; i++)
        {
            await client.SendAsync(sent.AsMemory(i, 1), SocketFlags.None);
            if (i % 20 == 0)
            {
                await Task.Delay(1);
            }
        }
        await reading;

        Assert.Equal(sent, back);
    }

    [Fact]
    public async Task ARateCapBoundsThroughput()
    {
        await using var sink = LoopbackServer.StartSink();
        await using var relay = new ImpairmentRelay(sink.Port) { ToTarget = new Impairment { RateBytesPerSecond = 200_000 } };
        using var client = await ConnectAsync(relay.Port);
        var clock = Stopwatch.StartNew();

        await client.SendAsync(new byte[400_000], SocketFlags.None);
        await WaitForAsync(() => sink.ReceivedBytes == 400_000, "all 400 KB at the sink");

        // 400 KB at 200 KB/s is 2 s, less one 20 ms burst allowance.
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.6, double.MaxValue);
    }

    [Fact]
    public async Task ARateCapLiftedOrSetWhileATransferRunsTakesEffectOnThatConnection()
    {
        const long Cap = 100_000;
        const int Lifted = 4 * 1024 * 1024;
        await using var sink = LoopbackServer.StartSink();
        await using var relay = new ImpairmentRelay(sink.Port) { ToTarget = new Impairment { RateBytesPerSecond = Cap } };
        using var client = await ConnectAsync(relay.Port);
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(async () =>
        {
            var block = new byte[64 * 1024];
            while (true)
            {
                await client.SendAsync(block, SocketFlags.None, stop.Token);
            }
        });
        await WaitForAsync(() => relay.BytesToTarget >= 50_000, "the capped flow to start");

        relay.ToTarget = Impairment.None;

        // 4 MB at the cap would take 40 s; the deadline is 10.
        await WaitForAsync(() => relay.BytesToTarget >= Lifted, "4 MB once the cap is lifted");

        relay.ToTarget = new Impairment { RateBytesPerSecond = Cap };
        long atCap = relay.BytesToTarget;
        var clock = Stopwatch.StartNew();
        await WaitForAsync(() => relay.BytesToTarget >= atCap + 150_000, "150 KB more at the cap");

        // 150 KB at 100 KB/s, less the chunk already on its way and one burst allowance.
        Assert.InRange(clock.Elapsed.TotalSeconds, (150_000 - ImpairmentPump.ChunkBytes - 0.02 * Cap) / Cap, double.MaxValue);
        Assert.Equal(1, relay.Accepted);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flood);
    }

    [Fact]
    public async Task ASharedRateCapIsSplitBetweenConnections()
    {
        await using var sink = LoopbackServer.StartSink();
        await using var relay = new ImpairmentRelay(sink.Port) { ToTarget = new Impairment { RateBytesPerSecond = 400_000, SharedRate = true } };
        using var first = await ConnectAsync(relay.Port);
        using var second = await ConnectAsync(relay.Port);
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(
            first.SendAsync(new byte[200_000], SocketFlags.None),
            second.SendAsync(new byte[200_000], SocketFlags.None));
        await WaitForAsync(() => sink.ReceivedBytes == 400_000, "all 400 KB at the sink");

        // Together 1 s at 400 KB/s; a bucket each would take half that.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, double.MaxValue);
    }

    [Fact]
    public async Task AStallPausesDelivery()
    {
        await using var sink = LoopbackServer.StartSink();
        await using var relay = new ImpairmentRelay(sink.Port);
        using var client = await ConnectAsync(relay.Port);

        relay.ToTarget = new Impairment { StallEveryMs = 100, StallForMs = 300 };
        for (int i = 0; i < 50; i++)
        {
            await client.SendAsync(new byte[] { (byte)i }, SocketFlags.None);
            await Task.Delay(10);
        }
        await WaitForAsync(() => sink.ReceivedBytes == 50, "all 50 bytes at the sink");

        var arrivals = sink.Arrivals();
        double longestGap = arrivals.Zip(arrivals.Skip(1), (a, b) => b.AtMs - a.AtMs).Max();
        Assert.InRange(longestGap, 250, double.MaxValue);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (byte)i), sink.Received());
    }

    [Fact]
    public async Task CutClosesEveryConnectionAndNewOnesStillWork()
    {
        await using var echo = LoopbackServer.StartEcho();
        await using var relay = new ImpairmentRelay(echo.Port);
        using var first = await ConnectAsync(relay.Port);
        using var second = await ConnectAsync(relay.Port);
        await RoundTripMsAsync(first);
        await RoundTripMsAsync(second);
        Assert.Equal(2, relay.Open);

        relay.Cut();

        foreach (var client in new[] { first, second })
        {
            await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                await client.SendAsync(new byte[] { 1 }, SocketFlags.None);
                await ReadExactlyAsync(client, new byte[1]);
            });
        }
        await WaitForAsync(() => relay.Open == 0 && echo.ClosedByPeer == 2, "both relayed connections to end on both sides");
        using var third = await ConnectAsync(relay.Port);
        await RoundTripMsAsync(third);
    }

    [Fact]
    public async Task RefuseMakesConnectsFailUntilItIsLifted()
    {
        await using var echo = LoopbackServer.StartEcho();
        await using var relay = new ImpairmentRelay(echo.Port);
        using var before = await ConnectAsync(relay.Port);

        relay.Refuse = true;

        var refused = await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(relay.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await RoundTripMsAsync(before);

        relay.Refuse = false;
        using var after = await ConnectAsync(relay.Port);
        await RoundTripMsAsync(after);
    }

    [Fact]
    public async Task WhatTheRelayHoldsIsBoundedAndTheSenderIsPushedBack()
    {
        const int MaxBuffered = 256 * 1024;
        await using var sink = LoopbackServer.StartSink();
        await using var relay = new ImpairmentRelay(sink.Port, MaxBuffered) { ToTarget = new Impairment { DelayMs = 60_000 } };
        using var client = await ConnectAsync(relay.Port);
        using var stop = new CancellationTokenSource();

        long written = 0;
        var flood = Task.Run(async () =>
        {
            var block = new byte[64 * 1024];
            while (true)
            {
                Interlocked.Add(ref written, await client.SendAsync(block, SocketFlags.None, stop.Token));
            }
        });
        await WaitForAsync(() => relay.HeldToTarget >= MaxBuffered, "the relay's queue to fill");
        await WaitForStableAsync(() => Interlocked.Read(ref written), "the sender to be blocked");

        // The queue plus the chunk the reader holds and the one the writer holds, and nothing more.
        Assert.InRange(relay.HeldToTarget, MaxBuffered, MaxBuffered + 2 * ImpairmentPump.ChunkBytes);
        Assert.Equal(0, sink.ReceivedBytes);
        Assert.False(flood.IsCompleted);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flood);
    }

    [Fact]
    public async Task DisposeEndsOpenConnectionsAndStops()
    {
        await using var echo = LoopbackServer.StartEcho();
        var relay = new ImpairmentRelay(echo.Port) { FromTarget = new Impairment { DelayMs = 30_000 } };
        using var client = await ConnectAsync(relay.Port);
        await client.SendAsync(new byte[] { 1 }, SocketFlags.None);
        await WaitForAsync(() => relay.HeldFromTarget == 1, "the echo to be held by the delay");

        var dispose = relay.DisposeAsync().AsTask();

        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(Deadline)));
        await dispose;
        await Assert.ThrowsAnyAsync<Exception>(() => ReadExactlyAsync(client, new byte[1]));
        await Assert.ThrowsAsync<SocketException>(() => ConnectAsync(relay.Port));
        await relay.DisposeAsync();
    }
}
