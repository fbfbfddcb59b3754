using System.Diagnostics;
using System.Text.RegularExpressions;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Tiers;

/// <summary>
/// What the route-quality tests assert of an edge that has a good parent and a bad one, whatever
/// makes the path bad: which parent feeds the stream (the edge's streams and routes, and the
/// sessions each parent serves), and that a swap of good and bad moves the stream once, through
/// hysteresis, while the viewer plays on.
/// </summary>
internal static partial class RouteMove
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    /// <summary>A parent as the edge sees it: its node, and whether an upstream URL is the way to it.</summary>
    public sealed record Parent(string Name, DaemonProcess Node, Func<string, bool> Owns);

    /// <summary>Waits until <paramref name="feeding"/> alone feeds live/cam: the edge's source and routes name it, and only it serves the edge a session.</summary>
    public static async Task AssertFedByAsync(DaemonProcess edge, Parent feeding, Parent other, string sessionProtocol)
    {
        var routes = await EdgeRoutes.WaitAsync(
            edge,
            r => r.Count == 2 && Feeds(r, feeding) && !r.Single(x => other.Owns(x.Url)).Streams.Contains("cam"),
            Wait,
            $"{feeding.Name} feeding cam, {other.Name} nothing");
        var source = await EdgeRoutes.SourceAsync(edge);
        Assert.True(source is not null && feeding.Owns(source), $"the edge's stream comes from {source}, not {feeding.Name}; routes:\n{string.Join('\n', routes)}");
        await WaitForSessionsAsync(feeding, sessionProtocol, 1);
        await WaitForSessionsAsync(other, sessionProtocol, 0);
    }

    /// <summary>
    /// Swaps good and bad with <paramref name="swap"/> and asserts the edge leaves <paramref name="from"/>
    /// for <paramref name="to"/> once, not sooner than the hold (3 s) and within a bound, because the
    /// other was clearly better (not because the path died), that the viewer plays through it,
    /// and that the stream stays on <paramref name="to"/> for <paramref name="stay"/> afterwards.
    /// <paramref name="probesBlind"/> is for a bad path the probes cross unhindered: the first
    /// choice is then a toss-up, and one move from the bad path to the good one before the swap,
    /// because the pull measured the good one clearly better, is what the edge should do.
    /// Returns how long after the swap the stream moved.
    /// </summary>
    public static async Task<TimeSpan> AssertSwapMovesOnceAsync(DaemonProcess edge, ViewerRecorder viewer, Parent from, Parent to, Func<Task> swap, string sessionProtocol, TimeSpan bound, TimeSpan stay, bool probesBlind = false)
    {
        // Taken after a wait of seconds: the routes table can show a move before its log line is read.
        await WaitUntilNotBeatenAsync(edge, from, to);
        var before = Switches(edge);
        if (probesBlind && before.Count == 1)
        {
            AssertMove(edge, before[0], from: to, to: from);
            // What the pull measured of the path it left counts for a minute; until then that path
            // is not clearly better, whatever happens to the other one.
            await EdgeRoutes.WaitAsync(
                edge,
                routes => routes.Single(r => to.Owns(r.Url)).CarryRatio is null,
                TimeSpan.FromSeconds(75),
                $"{to.Name}'s measured carry forgotten, a minute after the pull left it");
            await WaitUntilNotBeatenAsync(edge, from, to);
            Assert.True(Switches(edge).Count == before.Count, $"the edge moved again before the swap\n{PullLog(edge)}");
        }
        else
        {
            Assert.True(before.Count == 0, $"the edge had moved before the swap: its first choice was the bad path\n{PullLog(edge)}");
        }
        int framesBefore = viewer.VideoFrames;
        var clock = Stopwatch.StartNew();
        await swap();

        var switched = await edge.WaitForLogAsync(l => IsSwitch(l) && !before.Contains(l), bound);
        var movedAfter = clock.Elapsed;
        AssertMove(edge, switched, from, to);
        // Sooner than the hold would mean no hysteresis at all.
        Assert.True(movedAfter >= TimeSpan.FromSeconds(3), $"moved {movedAfter.TotalSeconds:F1}s after the swap, before a 3 s hold could pass");
        await AssertFedByAsync(edge, to, from, sessionProtocol);

        await viewer.WaitUntilAsync(v => v.VideoFrames >= framesBefore + 150, Wait, "150 frames across the move");
        var settled = Stopwatch.StartNew();
        while (settled.Elapsed < stay)
        {
            var source = await EdgeRoutes.SourceAsync(edge);
            Assert.True(source is not null && to.Owns(source), $"{settled.Elapsed.TotalSeconds:F1}s after the move the stream comes from {source}, not {to.Name}");
            await Task.Delay(250);
        }
        Assert.Equal(before.Count + 1, Switches(edge).Count);
        // Time never steps back; it may leap ahead: the path left behind was lagging, and the good
        // one brings the viewer back to live by skipping what the bad one still owed.
        Assert.Equal(0, viewer.BackwardSteps);
        Assert.False(viewer.Ended, $"the viewer ended: {viewer.Error?.Message}");
        Assert.True(viewer.LongestGapMs < 5000, $"the viewer saw a gap of {viewer.LongestGapMs} ms");
        return movedAfter;
    }

    /// <summary>
    /// Waits until <paramref name="to"/> has not looked clearly better than <paramref name="from"/>
    /// for a few of the pull's once-a-second samples. On a loaded machine the pull's start can show
    /// a hiccup or a carry dip on the good path; the hold then starts counting before the swap,
    /// and the move would come sooner after the swap than the hold, though not sooner after the
    /// hold's start. Each sample that sees no better route restarts the hold.
    /// </summary>
    private static async Task WaitUntilNotBeatenAsync(DaemonProcess edge, Parent from, Parent to)
    {
        var clean = TimeSpan.FromSeconds(2.5);
        Stopwatch? since = null;
        await EdgeRoutes.WaitAsync(
            edge,
            routes =>
            {
                var current = routes.Single(r => from.Owns(r.Url));
                var other = routes.Single(r => to.Owns(r.Url));
                // The selector's rule: under half the cost and at least 100 ms less.
                bool beaten = other.Cost < 0.5 * current.Cost && current.Cost - other.Cost >= 100;
                since = beaten ? null : since ?? Stopwatch.StartNew();
                return since is not null && since.Elapsed >= clean;
            },
            TimeSpan.FromSeconds(75),
            $"{to.Name} not clearly better than {from.Name} for {clean.TotalSeconds} s before the swap");
    }

    private static bool IsSwitch(string line) => line.Contains("pull default/live/cam: switched from", StringComparison.Ordinal);

    private static List<string> Switches(DaemonProcess edge) => edge.Lines.Where(IsSwitch).ToList();

    /// <summary>Asserts a switch line names a move from <paramref name="from"/> to <paramref name="to"/>, made because the other route was clearly better (not because the path died).</summary>
    private static void AssertMove(DaemonProcess edge, string switched, Parent from, Parent to)
    {
        var match = SwitchLine().Match(switched);
        Assert.True(match.Success && from.Owns(match.Groups[1].Value) && to.Owns(match.Groups[2].Value), $"not a move from {from.Name} to {to.Name}: {switched}");
        var reasons = edge.Lines.Count(l => l.Contains("pull default/live/cam: attempt on", StringComparison.Ordinal) && l.Contains("another candidate is clearly better; moving", StringComparison.Ordinal));
        Assert.True(reasons >= Switches(edge).Count, $"the edge moved for another reason than a better route:\n{PullLog(edge)}");
    }

    private static string PullLog(DaemonProcess edge) =>
        string.Join('\n', edge.Lines.Where(l => l.Contains("pull default/live/cam", StringComparison.Ordinal)).TakeLast(20));

    private static bool Feeds(List<EdgeRoutes.Route> routes, Parent parent) =>
        routes.Single(r => parent.Owns(r.Url)).Streams.SequenceEqual(["cam"]);

    private static async Task WaitForSessionsAsync(Parent parent, string protocol, int count)
    {
        var clock = Stopwatch.StartNew();
        int seen;
        while ((seen = await Infrastructure.Tiers.SessionsAsync(parent.Node, protocol)) != count)
        {
            if (clock.Elapsed > Wait)
            {
                throw new TimeoutException($"{parent.Name} serves {seen} {protocol} sessions, not {count}");
            }
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"switched from (\S+) to (\S+)")]
    private static partial Regex SwitchLine();
}
