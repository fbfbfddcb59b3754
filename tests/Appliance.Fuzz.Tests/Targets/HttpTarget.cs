using System.Buffers;
using System.Text;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Auth;
using Appliance.Protocols.Http;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// Request heads on a keep-alive connection, parsed as HttpServerSession does: one request after
/// another from the bytes received so far, until Incomplete or Error; then what a route does with
/// the result (query parameters, auth path prefixes). Driven whole and in pieces: the requests and
/// the final error must be the same. Never throws.
/// </summary>
public sealed class HttpTarget : FuzzTarget
{
    public override string Name => "http";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return Ascii(
            "GET /live/cam1.flv?token=abc&x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: ffplay\r\nAccept: */*\r\n" +
            "Referer: https://www.example.com/player\r\nX-Forwarded-For: 203.0.113.7, 10.0.0.1\r\nConnection: keep-alive\r\n\r\n");
        yield return Ascii(
            "GET /live/cam1.m3u8 HTTP/1.1\r\nHost: a\r\n\r\nGET /live/cam1/seg12.ts?hls_session=6553f100-0123456789abcdef0123456789abcdef HTTP/1.1\r\nHost: a\r\n\r\n" +
            "HEAD /live/cam1.mpd HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        yield return Ascii("GET http://example.com:8080/live/cam1.ts HTTP/1.1\r\nHost: ignored\r\n\r\n");
        yield return Ascii("GET /%6c%69ve/./a/../cam%201.flv?__token__=exp%3D1~hmac%3Dab#frag HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n");
        yield return Ascii("GET /201508150800/9044548ef1527deadafa49a890a377f0/live/cam1.flv HTTP/1.1\r\nHost: x\r\n\r\n");
        yield return Ascii("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        yield return Ascii("POST /api/reload HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nabcdGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        yield return Ascii("POST /api HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n");
        yield return Ascii("GET /stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Long: " + new string('v', 300) + "\r\nCookie: a=b; c=d\r\n\r\n");
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        .. new[]
        {
            "\r\n", "\r\n\r\n", "\n", ": ", ":", " ", "\t", "GET ", "HEAD ", "POST ", "PRI ", " HTTP/1.1", " HTTP/1.0", " HTTP/2.0", "HTTP/1.1\r\n",
            "Host: ", "Content-Length: ", "Transfer-Encoding: ", "chunked", "identity", "Connection: ", "keep-alive", "close", "Upgrade",
            "X-Forwarded-For: ", "Referer: ", "%", "%00", "%2F", "%2e%2e", "%C0%AF", "%ff", "/../", "/./", "//", "?", "#", "&", "=", "+",
            "http://", "https://", "[::1]", ":65536", "*", "0", "-1", "18446744073709551616", ",", "\x7f", "\x80", "\xff",
        }.Select(Latin1),
    ];

    public override void Run(ReadOnlySpan<byte> input)
    {
        var data = input.ToArray();
        var cuts = Pieces.Cuts(data);
        foreach (var limits in Limits)
        {
            var whole = new Transcript();
            Drive(data, [data.Length], whole, limits, feedback: limits == HttpLimits.Default);
            var pieces = new Transcript();
            Drive(data, cuts, pieces, limits, feedback: false);
            Transcript.AssertSame(whole, pieces, "http requests");
        }
    }

    // The default, and the smallest the config allows, so the size limits meet small inputs.
    private static readonly HttpLimits[] Limits = [HttpLimits.Default, new HttpLimits(256, 1024, 8)];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static void Drive(byte[] data, int[] arrivals, Transcript transcript, HttpLimits limits, bool feedback)
    {
        var request = new HttpRequest();
        long consumed = 0;
        foreach (var available in arrivals)
        {
            var reader = new SequenceReader<byte>(Pieces.Sequence(data, (int)consumed, available, arrivals));
            while (true)
            {
                request.Reset();
                var before = reader.Consumed;
                var status = HttpRequestParser.TryParse(ref reader, request, limits, out var errorStatus);
                if (status == HttpParseStatus.Incomplete)
                {
                    FuzzInvariantException.Check(reader.Consumed == before, "Incomplete consumed bytes");
                    break;
                }
                if (status == HttpParseStatus.Error)
                {
                    FuzzInvariantException.Check(errorStatus is >= 400 and <= 599, $"error status: {errorStatus}");
                    transcript.Add("error", errorStatus);
                    if (feedback)
                    {
                        Feedback.Note("error", errorStatus);
                    }
                    return;
                }
                FuzzInvariantException.Check(status == HttpParseStatus.Complete, $"status: {status}");
                FuzzInvariantException.Check(reader.Consumed > before, "a complete request consumed nothing");
                Record(request, transcript, feedback);
                Route(request, feedback);
            }
            consumed += reader.Consumed;
        }
        transcript.Add("end", data.Length - consumed);
    }

    private static void Record(HttpRequest request, Transcript transcript, bool feedback)
    {
        transcript.Add("request", $"{request.Method} {request.RawTarget} {request.VersionMinor}");
        transcript.Add("path", request.Path);
        transcript.Add("query", request.Query);
        transcript.Add("host", request.Host);
        transcript.Add("framing", request.KeepAlive ? 1 : 0, request.ContentLength ?? -1, (request.IsChunked ? 1 : 0) | (request.IsAbsoluteForm ? 2 : 0));
        foreach (var header in request.Headers)
        {
            transcript.Add(header.Key, header.Value);
        }
        if (feedback)
        {
            Feedback.Note("method", request.Method is "GET" or "HEAD" or "POST" or "PUT" or "DELETE" or "OPTIONS" or "CONNECT" or "TRACE" or "PATCH" ? (long)Fnv.Hash(request.Method) : 0);
            Feedback.Note("framing", (request.KeepAlive ? 1 : 0) | (request.IsChunked ? 2 : 0) | (request.IsAbsoluteForm ? 4 : 0) | (request.ContentLength is null ? 0 : 8) | (request.VersionMinor << 4));
            Feedback.NoteSize("headers", request.Headers.Count);
            Feedback.Note("query", request.Query is null ? -1 : Feedback.Bucket(request.Query.Length));
        }
    }

    // What the session does next with a parsed request, none of which may throw on its content.
    private static void Route(HttpRequest request, bool feedback)
    {
        var path = request.Path;
        FuzzInvariantException.Check(path is not null && request.Method.Length > 0, "complete request without method or path");
        var stripped = AuthPathPrefix.TryStrip(path!, out var realPath);
        FuzzInvariantException.Check(!stripped || realPath.Length < path!.Length, "TryStrip lengthened the path");
        var token = HttpQuery.Get(request.Query, "__token__");
        var session = HttpQuery.Get(request.Query, HlsSessionToken.ParameterName);
        _ = request.GetHeader("X-Forwarded-For");
        if (feedback)
        {
            Feedback.Note("route", (stripped ? 1 : 0) | (token is null ? 0 : 2) | (session is null ? 0 : 4));
        }
    }
}
