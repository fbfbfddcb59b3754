using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.Control.Contract;

namespace Appliance.Ctl;

/// <summary>One request, one reply, over the daemon's control socket.</summary>
internal static class ControlClient
{
    // Replies can be large (thousands of sessions); bounded all the same.
    private const int MaxReplyBytes = 64 * 1024 * 1024;

    public sealed class Failure(int exitCode, string message) : Exception(message)
    {
        public int ExitCode { get; } = exitCode;
    }

    public static async Task<(ControlReply Reply, string Json)> SendAsync(string path, ControlRequest request, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancel.Token).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AccessDenied || ex.NativeErrorCode == 13)
        {
            throw new Failure(ExitCodes.PermissionDenied, $"permission denied on {path}: run as root or as a member of the service's group (appliance)");
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.ConnectionRefused)
        {
            throw new Failure(ExitCodes.NotRunning, File.Exists(path)
                ? $"applianced is not running: nobody answers on {path}"
                : $"applianced is not running: no control socket at {path} (see --socket)");
        }
        catch (SocketException ex)
        {
            throw new Failure(ExitCodes.NotRunning, $"cannot reach applianced at {path}: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            throw new Failure(ExitCodes.NotRunning, $"applianced did not accept on {path} within {timeout.TotalSeconds:F0} s");
        }

        var line = JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest);
        try
        {
            await socket.SendAsync(line.Append((byte)'\n').ToArray(), SocketFlags.None, cancel.Token).ConfigureAwait(false);
            var reply = await ReadLineAsync(socket, cancel.Token).ConfigureAwait(false);
            var json = Encoding.UTF8.GetString(reply);
            var parsed = JsonSerializer.Deserialize(reply, ControlJsonContext.Default.ControlReply)
                ?? throw new Failure(ExitCodes.DaemonError, "the daemon sent an empty reply");
            return (parsed, json);
        }
        catch (OperationCanceledException)
        {
            throw new Failure(ExitCodes.DaemonError, $"no reply from applianced within {timeout.TotalSeconds:F0} s");
        }
        catch (SocketException ex)
        {
            throw new Failure(ExitCodes.DaemonError, $"the control connection failed: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new Failure(ExitCodes.DaemonError, $"the daemon's reply is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Whether a file is at <paramref name="path"/>: null when this user may not look (connecting will say so).</summary>
    public static bool? HoldsSocket(string path)
    {
        try
        {
            File.GetAttributes(path);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<byte[]> ReadLineAsync(Socket socket, CancellationToken cancel)
    {
        using var reply = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel).ConfigureAwait(false);
            if (read == 0)
            {
                throw new Failure(ExitCodes.DaemonError, "the daemon closed the connection without a reply");
            }
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, read);
            reply.Write(buffer, 0, newline >= 0 ? newline : read);
            if (newline >= 0)
            {
                return reply.ToArray();
            }
            if (reply.Length > MaxReplyBytes)
            {
                throw new Failure(ExitCodes.DaemonError, $"the reply is longer than {MaxReplyBytes} bytes");
            }
        }
    }
}
