using System.Security.Cryptography;
using Appliance.Node.Logging;
using Appliance.Protocols.Http;
using Appliance.Streaming.Packaging.Hls;

namespace Appliance.Node.Http;

/// <summary>
/// Encrypted HLS on the node: the AES-128 key URL of an app with hls.encryption, and the refusal of
/// its CMAF routes, which would otherwise play the same media in the clear.
/// </summary>
public sealed partial class HttpServerSession
{
    private static readonly KeyValuePair<string, string>[] PrivateKey = [new("Cache-Control", "private, no-store")];

    /// <summary>
    /// The app encrypts HLS: its configuration says so now, or the stream was started under one that
    /// did (its segments stay encrypted until it ends, and players still need their keys).
    /// </summary>
    private bool EncryptsHls(in Route route) =>
        route.App.Hls.Encryption.Enabled || _context.Streams.FindForHls(route.Key)?.App.Hls.Encryption.Enabled == true;

    /// <summary>
    /// GET /{app}/{stream}/key-{index}.key: 16 bytes, derived on each request (never stored). It
    /// was authorized like a segment (the playlist's session token, or the app's scheme); a player
    /// the node kicked gets 403 for it as for its segments.
    /// </summary>
    private RequestOutcome ServeHlsKey(in Route route, long keyIndex, bool headOnly, bool keepAlive)
    {
        var keyring = _context.Streams.HlsKeys;
        if (keyring is null || !EncryptsHls(route))
        {
            WriteText(404, "not found\n", keepAlive, headOnly);
            return Next(keepAlive);
        }
        if (_context.Streams.FindForHls(route.Key) is { } stream && !AdmitHlsViewer(stream, headOnly, keepAlive))
        {
            return Next(keepAlive);
        }
        Span<byte> key = stackalloc byte[HlsKeyring.KeyBytes];
        keyring.Derive(route.Key.ToString(), keyIndex, key);
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, "application/octet-stream", key.Length, keepAlive, extraHeaders: PrivateKey);
        if (!headOnly)
        {
            System.Buffers.BuffersExtensions.Write(HeadBuffer, key);
        }
        CryptographicOperations.ZeroMemory(key);
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(200, HeadBuffer.WrittenCount);
        _lastStatus = 200;
        return Next(keepAlive);
    }

    /// <summary>
    /// fMP4 HLS, LL-HLS and DASH of an app that encrypts HLS: 404 with the reason, and a log line.
    /// AES-128 covers HLS-TS only (SAMPLE-AES / CBCS for CMAF is not built), and serving those
    /// routes in the clear would undo what the operator asked for.
    /// </summary>
    private RequestOutcome RefuseClearCmaf(in Route route, bool headOnly, bool keepAlive)
    {
        LiveLog.Rejected(_context.Logger, "http", Client, $"stream {route.Key}: fMP4 HLS, LL-HLS and DASH are not served for an app with hls.encryption (AES-128 covers HLS-TS only)");
        WriteText(404, "not served: this app encrypts HLS, and only HLS-TS (/{app}/{stream}.m3u8) is encrypted\n", keepAlive, headOnly);
        return Next(keepAlive);
    }
}
