using System.Net.Sockets;
using Appliance.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.ControlSocket;

/// <summary>
/// The control socket: a Unix socket (mode 0660) taking one JSON request per line and answering
/// one JSON reply per line. Each connection is its own task with bounds on line length, idle time
/// and reply time, so a hostile or stuck client never holds the node or another client.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    public const int MaxConnections = 32;

    private readonly string _path;
    private readonly ControlCommands _commands;
    private readonly ILogger _logger;
    private readonly UnixListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ControlConnectionLimits _limits;
    private Task _acceptLoop = Task.CompletedTask;
    private int _connections;

    public ControlServer(string path, ControlCommands commands, ILogger logger, ControlConnectionLimits? limits = null)
    {
        _path = path;
        _commands = commands;
        _logger = logger;
        _limits = limits ?? new ControlConnectionLimits();
        PrepareDirectory(path);
        RemoveStaleSocket(path);
        // Operators in the service's group may drive the node; nobody else may.
        _listener = new UnixListener(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, backlog: 16);
    }

    public string Path => _path;

    public void Start() => _acceptLoop = AcceptLoopAsync();

    private static void PrepareDirectory(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory) && !OperatingSystem.IsWindows())
        {
            // Without systemd's RuntimeDirectory= (a container, a test run) the daemon makes it itself.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    /// <summary>A socket file left by a daemon that died is removed; one a live daemon answers on is not.</summary>
    private static void RemoveStaleSocket(string path)
    {
        if (UnixListener.IsAnswered(path))
        {
            throw new IOException($"another daemon answers on the control socket {path}");
        }
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                _logger.LogWarning("control socket accept failed: {Message}", ex.Message);
                continue;
            }
            if (Interlocked.Increment(ref _connections) > MaxConnections)
            {
                Interlocked.Decrement(ref _connections);
                _logger.LogWarning("control socket: more than {Max} connections, refusing one", MaxConnections);
                client.Dispose();
                continue;
            }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        try
        {
            var connection = new ControlConnection(client, _commands, _logger, _limits);
            await connection.RunAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "control connection failed");
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _connections);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _stop.Dispose();
    }
}
