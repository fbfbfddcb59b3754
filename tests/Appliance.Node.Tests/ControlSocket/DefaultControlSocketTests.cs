using Appliance.Node.ControlSocket;
using Appliance.Tests.Support;
using Appliance.Transport.Sockets;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>The daemon's side of the default control socket: the first candidate it can make the socket in.</summary>
public sealed class DefaultControlSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-default-socket-").FullName;
    private readonly LogCollector _logs = new();

    // No request is sent in these tests: the commands never run.
    private static ControlCommands Commands => new(null!);

    [Fact]
    public async Task A_place_that_cannot_be_made_is_passed_over_with_a_log_line_and_the_next_one_is_used()
    {
        // A directory cannot be made under a regular file, whoever runs the test (root included).
        var blocker = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "");
        var first = Path.Combine(blocker, "appliance", "control.sock");
        var second = Path.Combine(_directory, "run", "control.sock");

        await using var server = DefaultControlSocket.Open([first, second], Commands, _logs.CreateLogger("control"));
        server.Start();

        Assert.Equal(second, server.Path);
        Assert.True(UnixListener.IsAnswered(second));
        Assert.True(_logs.Contains($"control socket: cannot use {first} ("), _logs.Dump());
    }

    [Fact]
    public async Task A_path_too_long_for_a_unix_socket_is_passed_over()
    {
        var tooLong = Path.Combine(_directory, new string('d', 120), "control.sock");
        var usable = Path.Combine(_directory, "control.sock");

        await using var server = DefaultControlSocket.Open([tooLong, usable], Commands, _logs.CreateLogger("control"));

        Assert.Equal(usable, server.Path);
        Assert.True(_logs.Contains($"control socket: cannot use {tooLong} ("), _logs.Dump());
    }

    [Fact]
    public void A_live_daemon_at_a_candidate_stops_the_search()
    {
        var taken = Path.Combine(_directory, "taken.sock");
        var next = Path.Combine(_directory, "next", "control.sock");
        using var other = new UnixListener(taken, UnixFileMode.UserRead | UnixFileMode.UserWrite, backlog: 1);

        var error = Assert.Throws<IOException>(() => DefaultControlSocket.Open([taken, next], Commands, _logs.CreateLogger("control")));

        Assert.Equal($"another daemon answers on the control socket {taken}", error.Message);
        Assert.False(File.Exists(next));
    }

    [Fact]
    public async Task With_no_usable_place_the_error_names_each_place_and_the_setting()
    {
        var blocker = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "");
        var first = Path.Combine(blocker, "a", "control.sock");
        var second = Path.Combine(blocker, "b", "control.sock");

        var error = Assert.Throws<IOException>(() => DefaultControlSocket.Open([first, second], Commands, _logs.CreateLogger("control")));

        Assert.StartsWith($"no place for the control socket ({first}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"; {second}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("set control.socket to a path this user may create, or \"off\"", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
