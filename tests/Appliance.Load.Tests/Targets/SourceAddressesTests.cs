using System.Net;
using System.Net.Sockets;
using Appliance.Load.Cli;
using Appliance.Load.Targets;

namespace Appliance.Load.Tests.Targets;

public class SourceAddressesTests
{
    [Fact]
    public void ListsAndRangesAreDealtOutInTurn()
    {
        Assert.True(SourceAddresses.TryParse("127.0.0.2-127.0.0.4, 127.0.1.9", out var sources, out _));

        Assert.Equal(4, sources.Count);
        Assert.Equal(new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.1.9", "127.0.0.2" },
            Enumerable.Range(0, 5).Select(_ => sources.Next().ToString()));
    }

    [Theory]
    [InlineData("127.0.0.9-127.0.0.2", "'127.0.0.9-127.0.0.2': the range ends before it starts")]
    [InlineData("::1", "'::1' is not an IPv4 address or a range of them (127.0.0.2-127.0.0.9)")]
    [InlineData("127.0.0", "'127.0.0' is not an IPv4 address or a range of them (127.0.0.2-127.0.0.9)")]
    [InlineData("127.0.0.1-", "'127.0.0.1-' is not an IPv4 address or a range of them (127.0.0.2-127.0.0.9)")]
    [InlineData("10.0.0.0-10.1.0.0", "more than 65536 addresses")]
    public void AWrongListIsRefusedAndSaysWhy(string text, string problem)
    {
        Assert.False(SourceAddresses.TryParse(text, out _, out var said));
        Assert.Equal(problem, said);
        Assert.Equal($"--source-addresses {text}: {problem}", LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a", "--source-addresses", text]).Error);
    }

    [Fact]
    public void TheOptionIsForViewers()
    {
        Assert.Equal(2, LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a", "--source-addresses", "127.0.0.2,127.0.0.3"]).SourceAddresses!.Count);
        Assert.Equal("--source-addresses does not apply to --hostile (it opens no viewers; run the viewers in another appliance-load)",
            LoadOptions.Parse(["--hostile", "5", "--url", "rtmp://127.0.0.1/live/a", "--source-addresses", "127.0.0.2"]).Error);
        Assert.Equal("--source-addresses needs a value", LoadOptions.Parse(["--url", "rtmp://127.0.0.1/live/a", "--source-addresses"]).Error);
    }

    [Fact]
    public async Task AViewerConnectsFromTheSourceAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.True(StreamUrl.TryParse($"http://127.0.0.1:{port}/live/a.flv", out var url, out _));
        Assert.True(SourceAddresses.TryParse("127.0.0.7", out var sources, out _));
        LoadConnector.Sources = sources;
        try
        {
            var connecting = LoadConnector.ConnectAsync(url, CancellationToken.None);
            using var accepted = await listener.AcceptSocketAsync();
            var connection = await connecting;
            await connection.Stream.DisposeAsync();
            Assert.Equal(IPAddress.Parse("127.0.0.7"), ((IPEndPoint)accepted.RemoteEndPoint!).Address);
        }
        finally
        {
            LoadConnector.Sources = null;
        }
    }

    [Fact]
    public async Task AConnectFromASourceAddressThatFailsNamesTheServer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        Assert.True(StreamUrl.TryParse($"http://127.0.0.1:{port}/live/a.flv", out var url, out _));
        Assert.True(SourceAddresses.TryParse("127.0.0.7", out var sources, out _));
        LoadConnector.Sources = sources;
        try
        {
            var e = await Assert.ThrowsAnyAsync<SocketException>(() => LoadConnector.ConnectAsync(url, CancellationToken.None));
            Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
            Assert.Contains($"127.0.0.1:{port}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            LoadConnector.Sources = null;
        }
    }
}
