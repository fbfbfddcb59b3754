using System.IO.Pipelines;
using System.Text;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

internal sealed record HttpResponse(int Status, string Head, Dictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>Reads HTTP/1.1 responses from what the server wrote.</summary>
internal sealed class HttpReader(PipeReader output)
{
    private readonly List<byte> _pending = [];
    private bool _ended;

    /// <summary>True once the server closed the connection and everything was read.</summary>
    public bool AtEnd => _ended && _pending.Count == 0;

    /// <summary>A response head and, when it has a Content-Length (and <paramref name="headOnly"/> is false), its body.</summary>
    public async Task<HttpResponse> ReadResponseAsync(CancellationToken ct, bool headOnly = false)
    {
        var headEnd = await FillUntilAsync(() => IndexOfHeadEnd(), ct);
        var head = Encoding.Latin1.GetString([.. _pending.Take(headEnd)]);
        _pending.RemoveRange(0, headEnd + 4);
        var lines = head.Split("\r\n");
        var statusParts = lines[0].Split(' ', 3);
        Assert.Equal("HTTP/1.1", statusParts[0]);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = Array.Empty<byte>();
        if (!headOnly && headers.TryGetValue("Content-Length", out var lengthText))
        {
            var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
            await FillUntilAsync(() => _pending.Count >= length ? length : -1, ct);
            body = [.. _pending.Take(length)];
            _pending.RemoveRange(0, length);
        }
        return new HttpResponse(int.Parse(statusParts[1], System.Globalization.CultureInfo.InvariantCulture), head, headers, body);
    }

    /// <summary>Bytes after the head until at least <paramref name="count"/> have arrived.</summary>
    public async Task<byte[]> ReadAtLeastAsync(int count, CancellationToken ct)
    {
        await FillUntilAsync(() => _pending.Count >= count ? count : -1, ct);
        return [.. _pending];
    }

    /// <summary>The bytes after the head, once they satisfy <paramref name="enough"/>.</summary>
    public async Task<byte[]> ReadUntilAsync(Func<byte[], bool> enough, CancellationToken ct)
    {
        await FillUntilAsync(() => enough([.. _pending]) ? 0 : -1, ct);
        return [.. _pending];
    }

    /// <summary>A chunked body (after its head), decoded, once its last chunk has come; the bytes after it stay.</summary>
    public async Task<byte[]> ReadChunkedBodyAsync(CancellationToken ct)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        long consumed = 0;
        await FillUntilAsync(() =>
        {
            output.ResetWrittenCount();
            var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>([.. _pending]));
            new Appliance.Protocols.Http.ChunkedBodyDecoder().TryRead(ref reader, output, out var finished);
            consumed = reader.Consumed;
            return finished ? 0 : -1;
        }, ct);
        _pending.RemoveRange(0, (int)consumed);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Everything else the server writes, until it closes the connection.</summary>
    public async Task<byte[]> ReadToEndAsync(CancellationToken ct)
    {
        await FillUntilAsync(() => _ended ? 0 : -1, ct);
        byte[] rest = [.. _pending];
        _pending.Clear();
        return rest;
    }

    private int IndexOfHeadEnd()
    {
        for (var i = 0; i + 3 < _pending.Count; i++)
        {
            if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
            {
                return i;
            }
        }
        return -1;
    }

    private async Task<int> FillUntilAsync(Func<int> found, CancellationToken ct)
    {
        while (true)
        {
            var at = found();
            if (at >= 0)
            {
                return at;
            }
            if (_ended)
            {
                throw new Xunit.Sdk.XunitException($"connection closed with {_pending.Count} bytes pending: {Encoding.Latin1.GetString([.. _pending])}");
            }
            var result = await output.ReadAsync(ct);
            foreach (var segment in result.Buffer)
            {
                _pending.AddRange(segment.Span);
            }
            output.AdvanceTo(result.Buffer.End);
            _ended = result.IsCompleted;
        }
    }
}
