using System.Net;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hls;
using Appliance.Node.Logging;
using Appliance.Protocols.Http;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

/// <summary>
/// LL-HLS (RFC 8216bis 6.2.5): blocking playlist reloads (_HLS_msn, _HLS_part), delta updates
/// (_HLS_skip) and preload-hinted parts, held until the packager has what they ask for, within
/// three target durations (<see cref="CmafHold"/>); a held request whose client goes away is
/// released at once.
/// </summary>
public sealed partial class HttpServerSession
{
    // A segment number past this is no number of ours (as CmafName bounds it); a part index past this neither.
    private const long MaxBlockingMsn = 1L << 53;
    private const int MaxBlockingPart = 99_999;

    private static readonly KeyValuePair<string, string>[] RetrySoon = [new("Retry-After", "1")];

    // The bound of the hold in progress (CmafHold): one source per connection, reset for each hold.
    private CancellationTokenSource? _hold;

    /// <summary>
    /// Reads _HLS_msn, _HLS_part and _HLS_skip of an LL-HLS media playlist request into
    /// <paramref name="ask"/>; false, with 400 sent, for a value the spec does not allow:
    /// not a decimal number, negative, beyond any number we give, or _HLS_part without _HLS_msn.
    /// </summary>
    private bool TryReadBlockingQuery(ref CmafAsk ask)
    {
        var query = Request.Query;
        var msnText = HttpQuery.Get(query, "_HLS_msn");
        var partText = HttpQuery.Get(query, "_HLS_part");
        var skipText = HttpQuery.Get(query, "_HLS_skip");
        long msn = -1, part = -1;
        string? problem = null;
        if (msnText is not null && !TryParseDirective(msnText, MaxBlockingMsn, out msn))
        {
            problem = "_HLS_msn is not a media sequence number";
        }
        else if (partText is not null && msnText is null)
        {
            problem = "_HLS_part without _HLS_msn";
        }
        else if (partText is not null && !TryParseDirective(partText, MaxBlockingPart, out part))
        {
            problem = "_HLS_part is not a part index";
        }
        var skip = skipText switch
        {
            null => HlsSkip.None,
            "YES" => HlsSkip.Yes,
            "v2" => HlsSkip.V2,
            _ => (HlsSkip?)null,
        };
        if (skip is null)
        {
            problem ??= "_HLS_skip is neither YES nor v2";
        }
        if (problem is not null)
        {
            RefuseBlocking(problem, ask);
            return false;
        }
        ask = ask with { Msn = msn, Part = (int)part, Skip = skip!.Value };
        return true;
    }

    /// <summary>A decimal number of at most 16 digits, no sign, within <paramref name="max"/>.</summary>
    private static bool TryParseDirective(string text, long max, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 16)
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return value <= max;
    }

    private void RefuseBlocking(string problem, in CmafAsk ask)
    {
        LiveLog.Rejected(_context.Logger, "http", Client, $"LL-HLS request refused: {problem}");
        WriteText(400, $"bad request: {problem}\n", ask.KeepAlive, ask.HeadOnly);
        _hlsViewer?.AddResponse(400, HeadBuffer.WrittenCount);
    }

    /// <summary>
    /// A blocking reload: answered now when the playlist has what it asks for (or the stream has
    /// ended), refused when it asks too far ahead, else held until the packager has it.
    /// </summary>
    private RequestOutcome HoldCmafPlaylist(CmafPackager packager, LiveStream stream, CmafAsk ask)
    {
        var snapshot = packager.Snapshot;
        if (snapshot.Track(ask.Name.Track) is { } track && !snapshot.Ended && !track.Has(ask.Msn, ask.Part))
        {
            if (track.IsTooFarAhead(ask.Msn, ask.Part))
            {
                RefuseBlocking($"_HLS_msn or _HLS_part is too far ahead of the playlist: {HeldAsk.Reload(ask.Name, ask.Msn, ask.Part).Describe(track)}", ask);
                return Next(ask.KeepAlive);
            }
            _deferred = HoldPlaylistAsync(packager, stream, ask);
            return RequestOutcome.Deferred;
        }
        WriteCmafManifest(snapshot, stream, ask);
        return Next(ask.KeepAlive);
    }

    private async Task<RequestOutcome> HoldPlaylistAsync(CmafPackager packager, LiveStream stream, CmafAsk ask)
    {
        if (!TryStartHold(packager, stream, ask.Name.Track, ask.HeadOnly, ask.KeepAlive, out var hold))
        {
            return Next(ask.KeepAlive);
        }
        CmafWaitResult result;
        using (hold)
        {
            var (msn, part) = (ask.Msn, ask.Part);
            while (true)
            {
                result = part < 0
                    ? await packager.WaitForSegmentAsync(ask.Name.Track, msn, hold.Token).ConfigureAwait(false)
                    : await packager.WaitForPartAsync(ask.Name.Track, msn, part, hold.Token).ConfigureAwait(false);
                // The segment completed without the part: RFC 8216bis 6.2.5.2 makes a part index past
                // a segment's last part a request for part 0 of the next segment.
                if (result != CmafWaitResult.Available || part < 0 || packager.Snapshot.Track(ask.Name.Track) is not { } track || track.Has(msn, part))
                {
                    break;
                }
                (msn, part) = (msn + 1, 0);
            }
        }
        if (result is CmafWaitResult.Available or CmafWaitResult.Ended)
        {
            WriteCmafManifest(packager.Snapshot, stream, ask);
            return Next(ask.KeepAlive);
        }
        return AnswerUnheld(result, packager, stream, hold, HeldAsk.Reload(ask.Name, ask.Msn, ask.Part), ask.HeadOnly, ask.KeepAlive);
    }

    /// <summary>
    /// A request for a part not yet made (the preload hint, or one a few parts ahead): held until
    /// the part exists, then sent as any part; 404 if its segment ends without it.
    /// </summary>
    private async Task<RequestOutcome> HoldPartAsync(CmafPackager packager, LiveStream stream, CmafName name, bool headOnly, bool keepAlive)
    {
        if (!TryStartHold(packager, stream, name.Track, headOnly, keepAlive, out var hold))
        {
            return Next(keepAlive);
        }
        using var _ = hold;
        // Bounded: a part the wait says exists is found at once (a lookup retries a part released under it by itself).
        for (var attempt = 0; ; attempt++)
        {
            var result = await packager.WaitForPartAsync(name.Track, name.Number, name.Part, hold.Token).ConfigureAwait(false);
            if (result is not (CmafWaitResult.Available or CmafWaitResult.Ended))
            {
                return AnswerUnheld(result, packager, stream, hold, HeldAsk.File(name), headOnly, keepAlive);
            }
            var status = packager.Find(name, out var resource);
            if (status == CmafFileStatus.NotYet && result == CmafWaitResult.Available && attempt < 3)
            {
                continue;
            }
            if (status != CmafFileStatus.Found)
            {
                WriteText(404, "not found\n", keepAlive, headOnly);
                return Next(keepAlive);
            }
            if (AdmitHlsViewer(stream, headOnly, keepAlive))
            {
                SendCmafResource(resource, headOnly, keepAlive);
            }
            else
            {
                resource.Release();
            }
            return Next(keepAlive);
        }
    }

    /// <summary>
    /// Starts holding a request for the track: bounded by three target durations (RFC 8216bis: a
    /// server holds a blocking request no longer) of the target players read in the track's
    /// playlist, EXT-X-TARGETDURATION, which is above hls.targetDurationMs when the keyframe
    /// interval makes segments longer; or by the client going away, whichever comes first. False,
    /// with 503 sent, when the client's address holds limits.maxHeldRequestsPerIp requests already.
    /// </summary>
    private bool TryStartHold(CmafPackager packager, LiveStream stream, Fmp4TrackKind track, bool headOnly, bool keepAlive, out CmafHold hold)
    {
        // The player's address, as its HLS session knows it (the forwarded one behind a trusted proxy).
        var client = _hlsClient ?? Connection.RemoteEndPoint?.Address ?? IPAddress.None;
        var held = _context.HeldRequests;
        var max = _config.Limits.MaxHeldRequestsPerIp;
        if (!held.TryEnter(client, max))
        {
            if (held.Refusals.ShouldLog())
            {
                LiveLog.Rejected(_context.Logger, "http", Client, $"{client} holds its maximum of {max} requests (limits.maxHeldRequestsPerIp)");
            }
            WriteUnavailable(headOnly, keepAlive);
            hold = default;
            return false;
        }
        if (_hold is null || !_hold.TryReset())
        {
            // First hold, or the last one ran out or lost its client: a fresh source.
            _hold?.Dispose();
            _hold = CancellationTokenSource.CreateLinkedTokenSource(ClientGone);
        }
        var targetMs = packager.Snapshot.Track(track) is { } snapshot
            ? HlsMediaPlaylistWriter.TargetDurationSeconds(snapshot.LowLatencyPlaylist) * 1000
            : stream.App.Hls.TargetDurationMs;
        hold = new CmafHold(_hold, 3 * targetMs, held, client);
        return true;
    }

    /// <summary>
    /// A hold that ended without what it waited for: nothing more to send to a client that has
    /// gone (a debug line: a player that gives up on a blocking reload, as hls.js does after
    /// about one target duration, shows here); 503 with Retry-After when the stream holds too many
    /// requests or the part did not come in time (the spec's answer to a request it cannot
    /// satisfy within the bound), logged with what was asked and where the track stood.
    /// </summary>
    private RequestOutcome AnswerUnheld(CmafWaitResult result, CmafPackager packager, LiveStream stream, in CmafHold hold, HeldAsk asked, bool headOnly, bool keepAlive)
    {
        if (result == CmafWaitResult.Cancelled && ClientGone.IsCancellationRequested)
        {
            LogHoldEnded(packager, hold, asked, "the client left");
            return RequestOutcome.Close;
        }
        var reason = result == CmafWaitResult.TooManyWaiters
            ? $"stream {stream.Key} holds its maximum of {packager.MaxHeldRequests} blocking requests"
            : $"stream {stream.Key} had nothing new within {hold.BoundMs} ms for {asked.Describe(packager.Snapshot.Track(asked.Track))}";
        LiveLog.Rejected(_context.Logger, "http", Client, reason);
        WriteUnavailable(headOnly, keepAlive);
        return Next(keepAlive);
    }

    /// <summary>The debug line of a hold that ended without its answer, and without a line of its own.</summary>
    private void LogHoldEnded(CmafPackager packager, in CmafHold hold, HeldAsk asked, string how)
    {
        if (_context.Logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug))
        {
            LiveLog.HoldEnded(_context.Logger, Client, Environment.TickCount64 - hold.StartedAt, how, asked.Describe(packager.Snapshot.Track(asked.Track)));
        }
    }

    /// <summary>503 with Retry-After: the spec's answer to a request the server cannot hold, or satisfy in time.</summary>
    private void WriteUnavailable(bool headOnly, bool keepAlive)
    {
        HeadBuffer.ResetWrittenCount();
        var body = "unavailable\n"u8;
        HttpResponseWriter.WriteHead(HeadBuffer, 503, "text/plain; charset=utf-8", body.Length, keepAlive, extraHeaders: RetrySoon);
        if (!headOnly)
        {
            System.Buffers.BuffersExtensions.Write(HeadBuffer, body);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(503, HeadBuffer.WrittenCount);
        _lastStatus = 503;
    }
}
