using Appliance.Codecs.Dash;
using Appliance.Codecs.Hls;
using Appliance.Node.Config;
using Appliance.Node.Renditions;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

/// <summary>
/// The manifests of a rendition group (README "Adaptive streams (renditions)"): the HLS-TS
/// multivariant playlist /{app}/{group}/index.m3u8, and, where the app's rule makes the name a
/// group, its CMAF multivariant playlists (cmaf.m3u8, llhls.m3u8) and its MPD. Each lists the
/// renditions live now and aligned with the top one, measured from their own packaging; every
/// URI points at the rendition's own files with that rendition's session token.
/// </summary>
public sealed partial class HttpServerSession
{
    /// <summary>The HLS-TS multivariant playlist of a group, beside the CMAF ones.</summary>
    internal const string GroupIndex = "index.m3u8";

    // The app the current request was routed to (its rendition rule), set in Serve.
    private AppConfig? _routeApp;

    /// <summary>/{app}/{name}/index.m3u8 of an app whose rule makes the name a group.</summary>
    private static bool IsGroupIndex(in Route route) =>
        route.File == GroupIndex && RenditionRule.Members(route.App, route.Key.Name).Count > 0;

    /// <summary>Whether the rule makes this stream name a group, so its CMAF multivariant playlists and MPD are the group's.</summary>
    private static bool IsGroup(in Route route) => RenditionRule.Members(route.App, route.Key.Name).Count > 0;

    private RequestOutcome ServeGroupHls(in Route route, bool headOnly, bool keepAlive, string? sessionToken)
    {
        _deferred = ServeGroupHlsAsync(route.Key, route.App, Request.Query, headOnly, keepAlive, sessionToken);
        return RequestOutcome.Deferred;
    }

    private async Task<RequestOutcome> ServeGroupHlsAsync(StreamKey group, AppConfig app, string? query, bool headOnly, bool keepAlive, string? sessionToken)
    {
        var (members, joined) = app.Hls.Enabled ? await _context.Renditions.FindAsync(group, app, _context.Relay, query, Client).ConfigureAwait(false) : default;
        if (members is not { Count: > 0 })
        {
            return CmafNotFound("stream not found\n", keepAlive, headOnly);
        }
        NoteLadderDemand(group, app);
        var windows = members.Select(m => m.RequestHls()).OfType<Streaming.Packaging.Hls.SegmentWindow>().ToList();
        if (!windows.TrueForAll(w => w.IsReady))
        {
            await WaitForRenditionsAsync([.. windows.Select(w => w.Ready)], app, joined).ConfigureAwait(false);
        }
        // Renditions that arrived meanwhile join; those gone leave.
        var renditions = new List<Rendition>();
        foreach (var member in _context.Renditions.Collect(group, app))
        {
            if (member.RequestHls() is { } window)
            {
                renditions.Add(RenditionReader.FromHls(member, window));
            }
        }
        var reading = RenditionGroup.Evaluate(renditions);
        _context.Renditions.Record(group, RenditionPackaging.Hls, reading);
        if (reading.Top is not { Boundaries.Count: > 0 })
        {
            return CmafNotFound(renditions.Count == 0 ? "stream not found\n" : "no segment yet\n", keepAlive, headOnly);
        }
        var variants = GroupPlaylists.Ts(reading.Listed, r => SessionQuery(r.Key, group, sessionToken, app));
        Body.ResetWrittenCount();
        HlsMultivariantPlaylistWriter.Write(variants, [], null, Body);
        var maxAge = app.Hls.TargetDurationMs / 2000;
        KeyValuePair<string, string>[] caching = [new("Cache-Control", maxAge > 0 ? $"max-age={maxAge}" : "no-cache")];
        WriteCmafBody(PlaylistType, caching, headOnly, keepAlive);
        return Next(keepAlive);
    }

    /// <summary>The group's cmaf.m3u8, llhls.m3u8 or MPD.</summary>
    private RequestOutcome ServeGroupCmaf(in Route route, CmafAsk ask)
    {
        _deferred = ServeGroupCmafAsync(route.Key, route.App, Request.Query, ask);
        return RequestOutcome.Deferred;
    }

    private async Task<RequestOutcome> ServeGroupCmafAsync(StreamKey group, AppConfig app, string? query, CmafAsk ask)
    {
        var (members, joined) = app.Cmaf.Enabled ? await _context.Renditions.FindAsync(group, app, _context.Relay, query, Client).ConfigureAwait(false) : default;
        if (members is not { Count: > 0 })
        {
            return CmafNotFound("stream not found\n", ask.KeepAlive, ask.HeadOnly);
        }
        NoteLadderDemand(group, app);
        // A DASH player reloads the MPD all along: it counts as the top rendition's player.
        if (ask.Mpd && !AdmitHlsViewer(members[0], ask.HeadOnly, ask.KeepAlive))
        {
            return Next(ask.KeepAlive);
        }
        var packagers = members.Select(m => m.RequestCmaf(TimePath)).OfType<Streaming.Packaging.Cmaf.CmafPackager>().ToList();
        if (!packagers.TrueForAll(p => p.Snapshot.IsReady))
        {
            await WaitForRenditionsAsync([.. packagers.Select(p => p.Ready)], app, joined).ConfigureAwait(false);
        }
        var renditions = new List<Rendition>();
        LiveStream? top = null;
        var ended = false;
        foreach (var member in _context.Renditions.Collect(group, app))
        {
            if (member.RequestCmaf(TimePath) is { } packager)
            {
                var snapshot = packager.Snapshot;
                if (top is null)
                {
                    top = member;
                    ended = snapshot.Ended;
                }
                renditions.Add(RenditionReader.FromCmaf(member, snapshot, ask.IsLowLatency));
            }
        }
        var reading = RenditionGroup.Evaluate(renditions);
        _context.Renditions.Record(group, RenditionPackaging.Cmaf, reading);
        if (top is null || reading.Top is not { Boundaries.Count: > 0 } topRendition)
        {
            return CmafNotFound(top is null ? "stream not found\n" : "no segment yet\n", ask.KeepAlive, ask.HeadOnly);
        }
        string? Query(Rendition r) => SessionQuery(r.Key, group, ask.SessionToken, app);
        Body.ResetWrittenCount();
        string contentType;
        if (ask.Mpd)
        {
            if (GroupManifest.Build(reading.Listed, topRendition, Query) is not { } manifest)
            {
                return CmafNotFound("no segment yet\n", ask.KeepAlive, ask.HeadOnly);
            }
            DashManifestWriter.Write(manifest, null, Body);
            contentType = DashType;
        }
        else
        {
            var multivariant = GroupPlaylists.Cmaf(reading.Listed, topRendition, ask.IsLowLatency, Query);
            HlsMultivariantPlaylistWriter.Write(multivariant.Variants, multivariant.Audio, null, Body);
            contentType = PlaylistType;
        }
        WriteCmafBody(contentType, ManifestCaching(top, ended, ask), ask.HeadOnly, ask.KeepAlive);
        return Next(ask.KeepAlive);
    }

    /// <summary>
    /// Packaging just started on some renditions: waits until the top one lists enough segments
    /// for a player to start with a buffer (bounded as a stream's own playlist is), then at most
    /// one target duration more for the others (started with it, they are ready with it). When
    /// renditions <paramref name="joined"/> for this request (a ladder's rungs just made, renditions
    /// just pulled), they get as long as the top, so the player's one read of the multivariant
    /// playlist lists them; otherwise one that joined late is listed once it has a segment.
    /// </summary>
    private static async Task WaitForRenditionsAsync(List<Task> ready, AppConfig app, bool joined)
    {
        if (ready.Count == 0)
        {
            return;
        }
        var waitMs = app.Hls.TargetDurationMs * (app.Hls.MinSegments + 2) + 2000;
        await Task.WhenAny(ready[0], Task.Delay(waitMs)).ConfigureAwait(false);
        var all = Task.WhenAll(ready);
        if (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(joined ? waitMs : app.Hls.TargetDurationMs)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The query that goes on a rendition's URIs: nothing for an app open to play; else a session
    /// token for that rendition (the group's own for the group's name), as a playlist of its own would carry.
    /// </summary>
    private string? SessionQuery(StreamKey rendition, StreamKey group, string? groupToken, AppConfig app)
    {
        if (groupToken is null)
        {
            return null;
        }
        var token = rendition == group ? groupToken : _context.SessionTokens.Issue(rendition, SessionTokenLifetime(app));
        return $"{Auth.HlsSessionToken.ParameterName}={token}";
    }

    /// <summary>An LL-HLS video playlist of a rendition in a group also reports where the group's other listed renditions stand.</summary>
    private HlsMediaPlaylist WithGroupReports(HlsMediaPlaylist playlist, LiveStream stream)
    {
        if (_routeApp is null || !RenditionRule.Applies(_routeApp))
        {
            return playlist;
        }
        var reports = _context.Renditions.Reports(stream, _routeApp);
        return reports.Count == 0 ? playlist : playlist with { RenditionReports = [.. playlist.RenditionReports, .. reports] };
    }

    /// <summary>A player asked for a rendition's media playlist: the rest of its group stays packaged for when it switches.</summary>
    private void PassOnGroupDemand(LiveStream stream, RenditionPackaging packaging)
    {
        if (_routeApp is null)
        {
            return;
        }
        _context.Renditions.PassOnDemand(stream, _routeApp, packaging, TimePath);
        if (RenditionRule.GroupOf(_routeApp, stream.Key.Name) is { } group)
        {
            NoteLadderDemand(stream.Key with { Name = group }, _routeApp);
        }
    }

    /// <summary>
    /// A player of a ladder's group (on the source, or a rung) keeps the source's transcoder from
    /// stopping idle: a player on the source must find the rungs there when it switches down.
    /// </summary>
    private void NoteLadderDemand(StreamKey group, AppConfig app)
    {
        if (app.Ladder.Rungs.Count > 0)
        {
            _context.Transcoders?.NoteDemand(group);
        }
    }
}
