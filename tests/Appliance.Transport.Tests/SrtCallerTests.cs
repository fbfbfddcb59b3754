using System.Net;
using System.Net.Sockets;
using Appliance.Transport.Srt;

namespace Appliance.Transport.Tests;

public sealed class SrtCallerTests
{
    [Fact]
    public async Task The_blocking_connect_runs_on_a_thread_of_its_own_not_a_pool_worker()
    {
        var onPoolWorker = await SrtCaller.OffThePool(() => Thread.CurrentThread.IsThreadPoolThread);

        Assert.False(onPoolWorker);
    }

    [Fact]
    public async Task A_connect_to_a_port_that_never_answers_fails_once_its_timeout_is_over()
    {
        // A bound UDP port that reads nothing: the handshake goes unanswered.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endPoint = (IPEndPoint)silent.LocalEndPoint!;

        var failure = await Assert.ThrowsAsync<SrtException>(() => SrtCaller.ConnectAsync(endPoint, "live/none", new SrtSettings(), timeoutMs: 300));

        Assert.Contains(endPoint.ToString(), failure.Message, StringComparison.Ordinal);
    }
}
