using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Appliance.Node.Config;
using Appliance.Control.Contract;
using Appliance.Node.Server;
using Appliance.Node.Tests.Support;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>A real node on loopback port 0 with its control socket in a temp directory and its config in a temp file.</summary>
internal sealed class ControlHarness : IAsyncDisposable
{
    private readonly LoggerFactory _loggers;

    private ControlHarness(string directory, string configPath, ApplianceServer server, LogCollector logs, LoggerFactory loggers)
    {
        Directory = directory;
        ConfigPath = configPath;
        Server = server;
        Logs = logs;
        _loggers = loggers;
    }

    public string Directory { get; }

    public string ConfigPath { get; }

    /// <summary>The control.socket of the config, next to it.</summary>
    public string SocketPath => Path.Combine(Directory, "control.sock");

    public ApplianceServer Server { get; }

    public LogCollector Logs { get; }

    public static string ConfigText(string socketPath, string extraApps = "") => $$"""
        {
          "rtmp": { "listen": "127.0.0.1:0" },
          "http": { "listen": "127.0.0.1:0" },
          "admin": { "listen": "127.0.0.1:0" },
          "control": { "socket": "{{socketPath}}" },
          "domains": [ { "name": "default", "apps": [ { "name": "live", "auth": { "play": { "scheme": "typeA", "key": "play-secret-key" } } }, {{extraApps}} ] } ],
        }
        """;

    public static async Task<ControlHarness> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "appliance-control-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var socketPath = Path.Combine(directory, "control.sock");
        var configPath = Path.Combine(directory, "appliance.json");
        await File.WriteAllTextAsync(configPath, ConfigText(socketPath));
        var logs = new LogCollector();
        var loggers = new LoggerFactory([logs]);
        var server = new ApplianceServer(ConfigLoader.Load(configPath), loggers, configPath);
        server.Start();
        return new ControlHarness(directory, configPath, server, logs, loggers);
    }

    public Socket Connect()
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        return socket;
    }

    /// <summary>Sends raw bytes and reads one reply line, parsed.</summary>
    public static async Task<JsonElement> AskAsync(Socket socket, string line)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(line), SocketFlags.None, Eventually.Deadline());
        return JsonDocument.Parse(await ReadLineAsync(socket)).RootElement.Clone();
    }

    public async Task<ControlReply> AskAsync(ControlRequest request)
    {
        using var socket = Connect();
        var reply = await AskAsync(socket, JsonSerializer.Serialize(request, ControlJsonContext.Default.ControlRequest) + "\n");
        return reply.Deserialize(ControlJsonContext.Default.ControlReply)!;
    }

    public static async Task<string> ReadLineAsync(Socket socket)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await socket.ReceiveAsync(one, SocketFlags.None, Eventually.Deadline());
            if (read == 0)
            {
                throw new IOException($"closed before a full line (got '{Encoding.UTF8.GetString(line.ToArray())}')");
            }
            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString(line.ToArray());
            }
            line.Add(one[0]);
        }
    }

    /// <summary>True when the daemon closed the connection (a read returns 0 or fails) within the deadline.</summary>
    public static async Task<bool> ClosedAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _loggers.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
