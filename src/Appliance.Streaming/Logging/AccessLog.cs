using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Logging;

/// <summary>
/// One line per finished session, to a file (appended by one background writer, reopened on
/// SIGUSR1 after logrotate moved it) or, without a file, to the console log. Sessions never wait
/// on the disk: a full queue drops the line and counts it.
/// </summary>
public sealed class AccessLog : IAsyncDisposable
{
    private const int QueueLines = 65_536;

    // null asks the writer to reopen the file.
    private readonly Channel<string?> _queue = Channel.CreateBounded<string?>(
        new BoundedChannelOptions(QueueLines) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly ILogger _console;
    private readonly Task _writer;
    private volatile string _path;
    private long _dropped;
    private long _written;

    public AccessLog(string path, ILogger console)
    {
        _path = path;
        _console = console;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Path => _path;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    /// <summary><paramref name="fields"/>: the protocol's own key=value figures (an SRT session's RTT, loss...), before the reason; null for none.</summary>
    public void Write(string protocol, string client, string stream, string status, long bytesIn, long bytesOut, double durationSeconds, string reason, string? fields = null)
    {
        if (_path.Length == 0)
        {
            if (fields is null)
            {
                StreamLog.Access(_console, protocol, client, stream, status, bytesIn, bytesOut, durationSeconds, reason);
            }
            else
            {
                StreamLog.AccessWithFields(_console, protocol, client, stream, status, bytesIn, bytesOut, durationSeconds, fields, reason);
            }
            return;
        }
        var line = Format(DateTime.UtcNow, protocol, client, stream, status, bytesIn, bytesOut, durationSeconds, reason, fields);
        if (!_queue.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Closes the file and opens it again by name (a new path when the config changed it).</summary>
    public void Reopen(string? path = null)
    {
        if (path is not null)
        {
            _path = path;
        }
        // The reopen marker must not be dropped behind a full queue; the writer drains fast.
        _ = _queue.Writer.WriteAsync(null).AsTask();
    }

    /// <summary>The line, with anything a client chose (stream name, reason) kept on one line and unquoted.</summary>
    internal static string Format(DateTime utc, string protocol, string client, string stream, string status, long bytesIn, long bytesOut, double durationSeconds, string reason, string? fields = null)
    {
        var line = new StringBuilder(160);
        line.Append(utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))
            .Append(" proto=").Append(protocol)
            .Append(" client=").Append(client)
            .Append(" stream=");
        AppendClean(line, stream);
        line.Append(" status=").Append(status)
            .Append(" in=").Append(bytesIn)
            .Append(" out=").Append(bytesOut)
            .Append(" duration=").Append(durationSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)).Append('s');
        if (fields is not null)
        {
            line.Append(' ');
            AppendClean(line, fields);
        }
        line.Append(" reason=\"");
        AppendClean(line, reason);
        return line.Append("\"\n").ToString();
    }

    private static void AppendClean(StringBuilder line, string text)
    {
        foreach (var c in text)
        {
            line.Append(c < ' ' || c == '"' || c == 0x7f ? '?' : c);
        }
    }

    private async Task WriteLoopAsync()
    {
        FileStream? file = null;
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var line))
                {
                    if (line is null)
                    {
                        file?.Dispose();
                        file = null;
                        continue;
                    }
                    file ??= Open();
                    if (file is null)
                    {
                        Interlocked.Increment(ref _dropped);
                        continue;
                    }
                    var bytes = Encoding.UTF8.GetBytes(line);
                    file.Write(bytes);
                    Interlocked.Increment(ref _written);
                }
                file?.Flush();
            }
        }
        catch (IOException ex)
        {
            _console.LogError("access log {Path}: {Message}; access lines are no longer written", _path, ex.Message);
        }
        finally
        {
            file?.Dispose();
        }
    }

    private FileStream? Open()
    {
        try
        {
            return new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _console.LogError("cannot open the access log {Path}: {Message}", _path, ex.Message);
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
