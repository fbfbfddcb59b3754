using System.Net.Sockets;
using Appliance.Transport.Sockets;

namespace Appliance.Transport.Tests;

public sealed class UnixListenerTests : IDisposable
{
    private const UnixFileMode OwnerAndGroup = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private readonly string _directory = Directory.CreateTempSubdirectory("unix-listener-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Listens_at_the_path_with_the_mode_and_accepts()
    {
        var path = Path.Combine(_directory, "control.sock");
        using var listener = new UnixListener(path, OwnerAndGroup, backlog: 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var accept = listener.AcceptAsync(cts.Token);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token);
        using var server = await accept;
        await client.SendAsync("hi"u8.ToArray(), SocketFlags.None, cts.Token);
        var buffer = new byte[2];
        Assert.Equal(2, await server.ReceiveAsync(buffer, SocketFlags.None, cts.Token));

        Assert.Equal("hi"u8.ToArray(), buffer);
        Assert.Equal(OwnerAndGroup, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Is_answered_only_while_a_process_listens_there()
    {
        var path = Path.Combine(_directory, "control.sock");
        var leftover = Path.Combine(_directory, "leftover.sock");
        File.WriteAllText(leftover, "");

        Assert.False(UnixListener.IsAnswered(path));
        using (new UnixListener(path, OwnerAndGroup, backlog: 4))
        {
            Assert.True(UnixListener.IsAnswered(path));
        }
        Assert.False(UnixListener.IsAnswered(path));
        Assert.False(UnixListener.IsAnswered(leftover));
    }

    [Fact]
    public void A_file_already_at_the_path_is_not_replaced()
    {
        var path = Path.Combine(_directory, "control.sock");
        File.WriteAllText(path, "someone's");

        var taken = Assert.Throws<SocketException>(() => new UnixListener(path, OwnerAndGroup, backlog: 4));

        Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);
        Assert.Equal("someone's", File.ReadAllText(path));
    }
}
