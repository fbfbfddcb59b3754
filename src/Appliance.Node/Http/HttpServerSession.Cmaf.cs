using System.Globalization;
using Appliance.Codecs.Dash;
using Appliance.Codecs.Hls;
using Appliance.Protocols.Http;
using Appliance.Streaming.Packaging.Cmaf;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

/// <summary>
/// The CMAF routes (fMP4 HLS, LL-HLS, DASH) under /{app}/{stream}/ and /{app}/{stream}.mpd: the
/// playlists and MPDs are written from the packager's snapshot, with the session token in every
/// URI (per request), or once per snapshot when there is none (<see cref="RenderedManifests"/>);
/// inits, segments and parts are sent from the segment cache.
/// </summary>
public sealed partial class HttpServerSession
{
    private const string DashType = "application/dash+xml";

    private System.Buffers.ArrayBufferWriter<byte> Body => _buffers!.Body;

    /// <summary>What a CMAF playlist or MPD request asks for, carried through the waits.</summary>
    /// <param name="Name">The playlist; ignored for an MPD.</param>
    /// <param name="Mpd">/{app}/{stream}.mpd; <paramref name="LowLatency"/> picks the low-latency one.</param>
    /// <param name="Skip">_HLS_skip of an LL-HLS media playlist request.</param>
    /// <param name="Msn">_HLS_msn of a blocking reload, or -1.</param>
    /// <param name="Part">_HLS_part of a blocking reload, or -1.</param>
    private readonly record struct CmafAsk(CmafName Name, bool Mpd, bool LowLatency, string? SessionToken, bool HeadOnly, bool KeepAlive,
        HlsSkip Skip = HlsSkip.None, long Msn = -1, int Part = -1)
    {
        public bool IsLowLatency => Mpd ? LowLatency : Name.LowLatency;
    }

    /// <summary>A CMAF playlist (multivariant or media) or an MPD: it starts packaging, and an authorized one gets a fresh session token.</summary>
    private static bool IsCmafManifest(in Route route) =>
        route.Extension == "mpd" ||
        (route.File is not null && CmafName.TryParse(route.File, out var name) && name.Kind is CmafFileKind.Multivariant or CmafFileKind.MediaPlaylist);

    /// <summary>GET /{app}/{stream}/{name}: a CMAF playlist, init, segment or part.</summary>
    private RequestOutcome ServeCmaf(in Route route, in CmafName name, bool headOnly, bool keepAlive, string? sessionToken)
    {
        if (name.Kind is CmafFileKind.Multivariant or CmafFileKind.MediaPlaylist)
        {
            var ask = new CmafAsk(name, Mpd: false, LowLatency: name.LowLatency, sessionToken, headOnly, keepAlive);
            if (name.Kind == CmafFileKind.Multivariant && IsGroup(route))
            {
                return ServeGroupCmaf(route, ask);
            }
            if (name.Kind == CmafFileKind.MediaPlaylist && name.LowLatency && !TryReadBlockingQuery(ref ask))
            {
                return Next(keepAlive);
            }
            return ServeCmafManifest(route.Key, ask);
        }
        return ServeCmafFile(route.Key, name, headOnly, keepAlive);
    }

    private RequestOutcome ServeCmafManifest(StreamKey key, CmafAsk ask)
    {
        var stream = _context.Streams.FindForHls(key);
        if (_context.Relay is { } relay && relay.MustWait(key, stream))
        {
            _deferred = ServeCmafWhenPulledAsync(relay, key, Request.Query, ask);
            return RequestOutcome.Deferred;
        }
        return ServeCmafManifest(stream, ask);
    }

    private async Task<RequestOutcome> ServeCmafWhenPulledAsync(Relay.RelayManager relay, StreamKey key, string? query, CmafAsk ask)
    {
        var stream = await relay.FindOrPullAsync(key, query, Client).ConfigureAwait(false);
        var outcome = ServeCmafManifest(stream, ask);
        if (outcome == RequestOutcome.Deferred && _deferred is { } inner)
        {
            outcome = await inner.ConfigureAwait(false);
        }
        return outcome;
    }

    private RequestOutcome ServeCmafManifest(LiveStream? stream, CmafAsk ask)
    {
        if (stream is null)
        {
            WriteText(404, "stream not found\n", ask.KeepAlive, ask.HeadOnly);
            return Next(ask.KeepAlive);
        }
        // Before packaging starts: a player refused here is no CMAF demand.
        if (!AdmitHlsViewer(stream, ask.HeadOnly, ask.KeepAlive))
        {
            return Next(ask.KeepAlive);
        }
        var packager = stream.RequestCmaf(TimePath);
        if (packager is null)
        {
            return CmafNotFound("stream not found\n", ask.KeepAlive, ask.HeadOnly);
        }
        if (!ask.Mpd && ask.Name.Kind == CmafFileKind.MediaPlaylist)
        {
            PassOnGroupDemand(stream, Streaming.Renditions.RenditionPackaging.Cmaf);
        }
        if (!packager.Snapshot.IsReady)
        {
            // Packaging just started on a young stream: answer when the playlists list enough
            // segments for a player to start with a buffer (bounded; then whatever exists is served).
            var waitMs = stream.App.Hls.TargetDurationMs * (stream.App.Hls.MinSegments + 2) + 2000;
            _deferred = WaitForCmafAsync(packager, stream, waitMs, ask);
            return RequestOutcome.Deferred;
        }
        return RespondCmafManifest(packager, stream, ask);
    }

    private async Task<RequestOutcome> WaitForCmafAsync(CmafPackager packager, LiveStream stream, int waitMs, CmafAsk ask)
    {
        await Task.WhenAny(packager.Ready, Task.Delay(waitMs)).ConfigureAwait(false);
        var snapshot = packager.Snapshot;
        if (!snapshot.IsReady && (snapshot.Video?.LastComplete ?? -1) < 0 && (snapshot.Audio?.LastComplete ?? -1) < 0)
        {
            return CmafNotFound("no segment yet\n", ask.KeepAlive, ask.HeadOnly);
        }
        var outcome = RespondCmafManifest(packager, stream, ask);
        if (outcome == RequestOutcome.Deferred && _deferred is { } inner)
        {
            outcome = await inner.ConfigureAwait(false);
        }
        return outcome;
    }

    /// <summary>The manifest now, or (a blocking reload) once what it asks for exists.</summary>
    private RequestOutcome RespondCmafManifest(CmafPackager packager, LiveStream stream, CmafAsk ask)
    {
        if (ask.Msn >= 0)
        {
            return HoldCmafPlaylist(packager, stream, ask);
        }
        WriteCmafManifest(packager.Snapshot, stream, ask);
        return Next(ask.KeepAlive);
    }

    /// <summary>Writes the playlist or MPD the request names from <paramref name="snapshot"/>, or 404 when it has none.</summary>
    private void WriteCmafManifest(CmafSnapshot snapshot, LiveStream stream, in CmafAsk ask)
    {
        var suffix = ask.SessionToken is null ? null : $"{Auth.HlsSessionToken.ParameterName}={ask.SessionToken}";
        var body = Body;
        body.ResetWrittenCount();
        string contentType;
        if (ask.Mpd)
        {
            if ((ask.LowLatency ? snapshot.DashLowLatency : snapshot.Dash) is not { } manifest)
            {
                CmafNotFound("no segment yet\n", ask.KeepAlive, ask.HeadOnly);
                return;
            }
            if (suffix is null)
            {
                System.Buffers.BuffersExtensions.Write(body, RenderedManifests.Of(manifest));
            }
            else
            {
                DashManifestWriter.Write(manifest, suffix, body);
            }
            contentType = DashType;
        }
        else if (ask.Name.Kind == CmafFileKind.Multivariant)
        {
            var multivariant = ask.Name.LowLatency ? snapshot.LowLatencyMultivariant : snapshot.Multivariant;
            if (multivariant.Variants.Count == 0)
            {
                CmafNotFound("no segment yet\n", ask.KeepAlive, ask.HeadOnly);
                return;
            }
            HlsMultivariantPlaylistWriter.Write(multivariant.Variants, multivariant.Audio, suffix, body);
            contentType = PlaylistType;
        }
        else
        {
            if (snapshot.Track(ask.Name.Track) is not { } track)
            {
                CmafNotFound("no such track\n", ask.KeepAlive, ask.HeadOnly);
                return;
            }
            var playlist = ask.Name.LowLatency ? track.LowLatencyPlaylist : track.Playlist;
            var shared = playlist;
            if (ask.Name.LowLatency && track.Kind == Codecs.Fmp4.Fmp4TrackKind.Video)
            {
                playlist = WithGroupReports(playlist, stream);
            }
            // The snapshot's own playlist is rendered once for every token-less player; one that
            // carries the group's rendition reports is this request's own.
            if (suffix is null && ask.Skip == HlsSkip.None && ReferenceEquals(playlist, shared))
            {
                System.Buffers.BuffersExtensions.Write(body, RenderedManifests.Of(playlist));
            }
            else
            {
                HlsMediaPlaylistWriter.Write(playlist, ask.Skip, suffix, body);
            }
            contentType = PlaylistType;
        }
        WriteCmafBody(contentType, ManifestCaching(stream, snapshot.Ended, ask), ask.HeadOnly, ask.KeepAlive);
    }

    /// <summary>
    /// How long a cache may keep a manifest: a plain playlist or MPD about half a segment, as
    /// HLS-TS (players polling at the target duration always see a fresh one); an LL-HLS playlist
    /// one second: a blocking reload's answer holds what it was asked for, so a CDN may hand it to
    /// the next player asking the same _HLS_msn and _HLS_part, but not for long, and a player that
    /// gets one a second old only blocks for the next part sooner. The low-latency MPD is
    /// re-read every part (its minimumUpdatePeriod), so it is never cached; an ended manifest a minute.
    /// </summary>
    private static KeyValuePair<string, string>[] ManifestCaching(LiveStream stream, bool ended, in CmafAsk ask)
    {
        if (ended)
        {
            return EndedManifest;
        }
        if (ask.IsLowLatency)
        {
            return ask.Mpd ? NoCacheManifest : LowLatencyPlaylistCaching;
        }
        var maxAge = stream.App.Hls.TargetDurationMs / 2000;
        return maxAge > 0 ? [new("Cache-Control", string.Create(CultureInfo.InvariantCulture, $"max-age={maxAge}"))] : NoCacheManifest;
    }

    private static readonly KeyValuePair<string, string>[] LowLatencyPlaylistCaching = [new("Cache-Control", "max-age=1")];

    private static readonly KeyValuePair<string, string>[] EndedManifest = [new("Cache-Control", "max-age=60")];

    private static readonly KeyValuePair<string, string>[] NoCacheManifest = [new("Cache-Control", "no-cache")];

    /// <summary>Sends what <see cref="Body"/> holds as a 200 with the head written first.</summary>
    private void WriteCmafBody(string contentType, KeyValuePair<string, string>[] headers, bool headOnly, bool keepAlive)
    {
        HeadBuffer.ResetWrittenCount();
        HttpResponseWriter.WriteHead(HeadBuffer, 200, contentType, Body.WrittenCount, keepAlive, extraHeaders: headers);
        if (!headOnly)
        {
            System.Buffers.BuffersExtensions.Write(HeadBuffer, Body.WrittenSpan);
        }
        Writer.Send(HeadBuffer.WrittenSpan);
        _hlsViewer?.AddResponse(200, HeadBuffer.WrittenCount);
        _lastStatus = 200;
    }

    private RequestOutcome CmafNotFound(string reason, bool keepAlive, bool headOnly)
    {
        WriteText(404, reason, keepAlive, headOnly);
        _hlsViewer?.AddResponse(404, HeadBuffer.WrittenCount);
        return Next(keepAlive);
    }
}
