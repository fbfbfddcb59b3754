using System.Buffers.Text;
using System.Text;
using Appliance.Load.Targets;

namespace Appliance.Load.Viewers.Http;

/// <summary>
/// Writes the GETs of one player loop into one array it reuses: a URI of a playlist or an MPD
/// template, resolved against the document it came from, with $Number$ expanded and LL-HLS
/// directives appended. A plain relative reference (the usual case: a file name and its query) is
/// resolved by hand; anything else goes through <see cref="Uri"/>, and a URI on another server is
/// refused, as the HLS viewer refuses it. A player's requests carry its own User-Agent
/// (<see cref="PlayerAgent"/>), so the node counts each player as an HLS session of its own.
/// </summary>
internal sealed class RequestWriter
{
    private const int MaxNumberDigits = 20;

    private readonly StreamUrl _url;
    private readonly byte[] _tail;
    private byte[] _request = new byte[512];
    private byte[] _expanded = new byte[256];
    private int _length;

    /// <param name="player">The player's number, for its User-Agent; none when negative.</param>
    public RequestWriter(StreamUrl url, int player = -1)
    {
        _url = url;
        var agent = PlayerAgent.Of(player);
        _tail = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {url.Authority}\r\nUser-Agent: {agent}\r\nAccept: */*\r\n\r\n");
    }

    /// <summary>The request last written.</summary>
    public ReadOnlyMemory<byte> Request => _request.AsMemory(0, _length);

    /// <summary>
    /// Writes the GET of <paramref name="reference"/> resolved against <paramref name="basePath"/> (the
    /// path and query of the document that named it), with every $Number$ replaced by
    /// <paramref name="number"/> when it is not negative, and _HLS_msn (and _HLS_part when not
    /// negative) appended when <paramref name="msn"/> is not negative. Null when written, else why not.
    /// </summary>
    public string? Write(string basePath, ReadOnlySpan<byte> reference, long number = -1, long msn = -1, int part = -1)
    {
        var expandedLength = 0;
        if (number >= 0)
        {
            if (!TryExpand(reference, number, ref _expanded, out expandedLength))
            {
                return "a URI template with other identifiers than $Number$";
            }
            reference = _expanded.AsSpan(0, expandedLength);
        }
        _length = 0;
        Append("GET "u8);
        if (reference.Length > 0 && reference[0] == '/' && (reference.Length == 1 || reference[1] != '/') && IsPlain(reference))
        {
            Append(reference);
        }
        else if (IsPlainRelative(reference))
        {
            var query = basePath.IndexOf('?');
            var directory = basePath.LastIndexOf('/', query < 0 ? basePath.Length - 1 : query - 1);
            AppendAscii(basePath.AsSpan(0, directory + 1));
            Append(reference);
        }
        else
        {
            // Rare: an absolute URL, a dot segment, a fragment, characters to escape.
            var text = Encoding.UTF8.GetString(reference);
            if (!Uri.TryCreate(_url.Uri, basePath, out var baseUri) || _url.ResolveOnSameServer(baseUri, text) is not { } path)
            {
                return "a URI on another server";
            }
            AppendAscii(path);
        }
        if (msn >= 0)
        {
            var hasQuery = _request.AsSpan(0, _length).Contains((byte)'?');
            Append(hasQuery ? "&_HLS_msn="u8 : "?_HLS_msn="u8);
            AppendNumber(msn);
            if (part >= 0)
            {
                Append("&_HLS_part="u8);
                AppendNumber(part);
            }
        }
        Append(_tail);
        return null;
    }

    /// <summary>Replaces $Number$ (and $Number%0Nd$) with <paramref name="number"/> and $$ with $; false for any other identifier.</summary>
    internal static bool TryExpand(ReadOnlySpan<byte> template, long number, ref byte[] output, out int length)
    {
        length = 0;
        var i = 0;
        while (i < template.Length)
        {
            Ensure(ref output, length + MaxNumberDigits + 1);
            var c = template[i];
            if (c != '$')
            {
                output[length++] = c;
                i++;
                continue;
            }
            var end = template[(i + 1)..].IndexOf((byte)'$');
            if (end < 0)
            {
                return false;
            }
            var identifier = template.Slice(i + 1, end);
            i += end + 2;
            if (identifier.IsEmpty)
            {
                output[length++] = (byte)'$';
                continue;
            }
            if (!identifier.StartsWith("Number"u8))
            {
                return false;
            }
            var format = identifier["Number".Length..];
            byte width = 0;
            if (!format.IsEmpty && !(format.Length >= 3 && format[0] == '%' && format[^1] == 'd'
                && Utf8Parser.TryParse(format[1..^1], out width, out var consumed) && consumed == format.Length - 2 && width <= MaxNumberDigits))
            {
                return false;
            }
            Utf8Formatter.TryFormat(number, output.AsSpan(length), out var written, new System.Buffers.StandardFormat('D', width));
            length += written;
        }
        return true;
    }

    // A file name, maybe with a query: no scheme, not rooted, no dot segment, no fragment, nothing to escape.
    private static bool IsPlainRelative(ReadOnlySpan<byte> reference)
    {
        if (reference.IsEmpty || reference[0] is (byte)'/' or (byte)'?' || !IsPlain(reference))
        {
            return false;
        }
        var path = reference.IndexOf((byte)'?') is var q and >= 0 ? reference[..q] : reference;
        return path.IndexOf((byte)':') < 0 && !path.StartsWith("./"u8) && !path.StartsWith("../"u8)
            && path.IndexOf("/./"u8) < 0 && path.IndexOf("/../"u8) < 0 && !path.SequenceEqual("."u8) && !path.SequenceEqual(".."u8)
            && !path.EndsWith("/."u8) && !path.EndsWith("/.."u8);
    }

    private static bool IsPlain(ReadOnlySpan<byte> reference)
    {
        foreach (var c in reference)
        {
            if (c is <= (byte)' ' or >= 0x7f or (byte)'#' or (byte)'\\')
            {
                return false;
            }
        }
        return true;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(ref _request, _length + bytes.Length);
        bytes.CopyTo(_request.AsSpan(_length));
        _length += bytes.Length;
    }

    private void AppendAscii(ReadOnlySpan<char> text)
    {
        Ensure(ref _request, _length + text.Length);
        _length += Encoding.ASCII.GetBytes(text, _request.AsSpan(_length));
    }

    private void AppendNumber(long value)
    {
        Ensure(ref _request, _length + MaxNumberDigits);
        Utf8Formatter.TryFormat(value, _request.AsSpan(_length), out var written);
        _length += written;
    }

    private static void Ensure(ref byte[] array, int length)
    {
        if (length > array.Length)
        {
            Array.Resize(ref array, Math.Max(array.Length * 2, length));
        }
    }
}
