using System.Collections.Concurrent;
using Appliance.Codecs.Hls;
using Appliance.Core.Time;
using Appliance.Node.Config;
using Appliance.Node.Logging;
using Appliance.Relay;
using Appliance.Streaming.Renditions;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.Renditions;

/// <summary>The live streams of a group in the rule's order, and whether any of them arrived for this request (pulled or made just now).</summary>
public readonly record struct GroupMembers(List<LiveStream> Live, bool Joined);

/// <summary>
/// The node's rendition groups: which streams of a group are live now (pulled first on a node
/// that pulls), what the group's playlists last found of each (aligned, pending, misaligned:
/// one log line when that changes), and demand that keeps every rendition of a watched group
/// packaged, so a player switching to one finds its playlist ready. A group is nothing the node
/// stores: it is read from the rule and the live streams whenever it is asked for.
/// </summary>
public sealed partial class RenditionGroups(StreamRegistry streams, ILogger logger)
{
    // A candidate rendition its pull did not find upstream is not asked for again before this.
    private const long MissingRetryMs = 10_000;

    // After the first rendition of a group arrives, its other pulls get this long to deliver too.
    private const int FollowersWaitMs = 1_000;

    // A group that is here waits this long for the renditions it lacks (a ladder's rungs wait at most 15 s for their transcoder).
    private const int JoinWaitMs = 15_000;

    // Demand is passed on to a group's other renditions at most this often.
    private const long TouchIntervalMs = 1_000;

    // Both are keyed by names from requests (an edge asked for made-up groups): the sweep drops what has expired.
    private readonly ConcurrentDictionary<StreamKey, long> _missing = new();
    private readonly ConcurrentDictionary<(StreamKey Group, RenditionPackaging Packaging), long> _touched = new();

    /// <summary>A rendition is in its group while it is published (or pulled): not ended, and with a source.</summary>
    public static bool IsLive(LiveStream? stream) => stream is { IsEnded: false, Source: not null };

    /// <summary>The group's live streams on this node, in the rule's order (the top first); no pulls.</summary>
    public List<LiveStream> Collect(StreamKey group, AppConfig app)
    {
        var names = RenditionRule.Members(app, group.Name);
        var members = new List<LiveStream>(names.Count);
        foreach (var name in names)
        {
            if (name.Length <= app.MaxStreamNameLength && streams.FindForPlay(group with { Name = name }) is { } stream && IsLive(stream))
            {
                members.Add(stream);
            }
        }
        return members;
    }

    /// <summary>
    /// The group's live streams for a viewer of the group. Renditions the node does not have are
    /// pulled, or made (a ladder's rungs, see <see cref="RelayManager.MustWait"/>): while it has
    /// none, the request waits for the first to arrive (and a second for the others); once it has
    /// one, it waits up to 15 s for the rest, since a player reads a multivariant playlist once and
    /// would never learn of a rendition that joins later. A rendition its parent did not have (or
    /// a rung the ladder does not make) is not asked for again for 10 s.
    /// </summary>
    public async ValueTask<GroupMembers> FindAsync(StreamKey group, AppConfig app, RelayManager? relay, string? query, string client)
    {
        var members = Collect(group, app);
        if (relay is null)
        {
            return new GroupMembers(members, Joined: false);
        }
        var pulls = new List<Task<LiveStream?>>();
        var now = MonotonicClock.NowMs;
        foreach (var name in RenditionRule.Members(app, group.Name))
        {
            var key = group with { Name = name };
            // A name longer than the app's streams may have (a label added to a long one) names no stream anywhere.
            if (name.Length > app.MaxStreamNameLength || !relay.MustWait(key, streams.FindForPlay(key)) || _missing.TryGetValue(key, out var missedAt) && now - missedAt < MissingRetryMs)
            {
                continue;
            }
            pulls.Add(PullAsync(relay, key, query, client));
        }
        if (pulls.Count == 0)
        {
            return new GroupMembers(members, Joined: false);
        }
        if (members.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(pulls), Task.Delay(JoinWaitMs)).ConfigureAwait(false);
            return new GroupMembers(Collect(group, app), Joined: pulls.Exists(p => p.IsCompletedSuccessfully && IsLive(p.Result)));
        }
        var waiting = new List<Task<LiveStream?>>(pulls);
        while (waiting.Count > 0)
        {
            var done = await Task.WhenAny(waiting).ConfigureAwait(false);
            waiting.Remove(done);
            if (IsLive(done.Result))
            {
                await Task.WhenAny(Task.WhenAll(waiting), Task.Delay(FollowersWaitMs)).ConfigureAwait(false);
                break;
            }
        }
        return new GroupMembers(Collect(group, app), Joined: true);
    }

    /// <summary>One rendition's pull; never throws (the group goes on without it), and remembers a rendition that is not there.</summary>
    private async Task<LiveStream?> PullAsync(RelayManager relay, StreamKey key, string? query, string client)
    {
        LiveStream? stream = null;
        try
        {
            stream = await relay.FindOrPullAsync(key, query, client).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RenditionLog.PullFailed(logger, ex, key.ToString());
        }
        if (!IsLive(stream))
        {
            _missing[key] = MonotonicClock.NowMs;
            return null;
        }
        _missing.TryRemove(key, out _);
        return stream;
    }

    /// <summary>
    /// A player asked for one rendition's playlist: the group's other live renditions count as
    /// asked for too (their packaging starts or keeps running, their pulls stay up), so a player
    /// that switches finds a ready playlist. At most once a second per group and packaging.
    /// </summary>
    public void PassOnDemand(LiveStream stream, AppConfig app, RenditionPackaging packaging, string? utcTimingUrl)
    {
        if (!RenditionRule.Applies(app) || RenditionRule.GroupOf(app, stream.Key.Name) is not { } name)
        {
            return;
        }
        var group = stream.Key with { Name = name };
        var now = MonotonicClock.NowMs;
        if (_touched.TryGetValue((group, packaging), out var at) && now - at < TouchIntervalMs)
        {
            return;
        }
        _touched[(group, packaging)] = now;
        foreach (var member in Collect(group, app))
        {
            if (ReferenceEquals(member, stream))
            {
                continue;
            }
            if (packaging == RenditionPackaging.Hls)
            {
                member.RequestHls();
            }
            else
            {
                member.RequestCmaf(utcTimingUrl);
            }
        }
    }

    /// <summary>Drops the missing names that may be asked for again and the demand that may be passed on again.</summary>
    private void ForgetOld(long nowMs)
    {
        foreach (var (key, at) in _missing)
        {
            if (nowMs - at >= MissingRetryMs)
            {
                _missing.TryRemove(new KeyValuePair<StreamKey, long>(key, at));
            }
        }
        foreach (var (key, at) in _touched)
        {
            if (nowMs - at >= TouchIntervalMs)
            {
                _touched.TryRemove(new KeyValuePair<(StreamKey, RenditionPackaging), long>(key, at));
            }
        }
    }

    /// <summary>
    /// EXT-X-RENDITION-REPORT lines for a rendition's LL-HLS video playlist: the other renditions
    /// of its group that the group lists (as last found), each with its newest part.
    /// </summary>
    public List<HlsRenditionReport> Reports(LiveStream stream, AppConfig app)
    {
        var reports = new List<HlsRenditionReport>();
        if (!RenditionRule.Applies(app) || RenditionRule.GroupOf(app, stream.Key.Name) is not { } name)
        {
            return reports;
        }
        var group = stream.Key with { Name = name };
        foreach (var member in Collect(group, app))
        {
            if (ReferenceEquals(member, stream) || !IsListed(group, RenditionPackaging.Cmaf, member.Key.Name))
            {
                continue;
            }
            if (GroupPlaylists.Report(member.Key.Name, member.PackagedCmaf?.Snapshot.Video) is { } report)
            {
                reports.Add(report);
            }
        }
        return reports;
    }
}
