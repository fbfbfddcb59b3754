using System.Buffers;
using Appliance.Streaming.Streams;

namespace Appliance.Relay.Routing;

/// <summary>
/// Orders an app's upstream candidates for one stream, best first, and decides when a stream
/// should leave its current route.
/// <para>
/// Order: candidates that are not down come first, by priority class (lower first); within a
/// class, those whose cost is within max(ToleranceMs, ToleranceRatio × best) of the class's best
/// are equally good and ordered by weighted rendezvous hashing of the stream key with each
/// candidate's id, the rest follow by cost. Down candidates come last, ordered the same way, as a
/// last resort. Rendezvous hashing gives each stream one stable favourite that every node
/// agrees on (so parents see each stream pulled once, not once per edge), spreads streams by
/// weight, and moves only the streams of a candidate that leaves or joins.
/// </para>
/// <para>
/// The hash: <c>h = fmix64(FNV-1a-64(UTF-8 "domain/app/name") ⊕ fmix64(FNV-1a-64(UTF-8 id)))</c>,
/// <c>u = ((h &gt;&gt; 11) + 0.5) / 2^53</c>, <c>score = weight / −ln u</c>; the highest score wins,
/// which picks each candidate with probability weight / Σ weights.
/// </para>
/// </summary>
public sealed class RouteSelector
{
    // Rankings of up to this many candidates keep their scratch on the stack.
    private const int StackCandidates = 32;

    private readonly SelectorOptions _options;

    public RouteSelector(SelectorOptions? options = null)
    {
        _options = options ?? SelectorOptions.Default;
    }

    /// <summary>The stable hash of a stream key: the same as of its text <c>domain/app/name</c>, without building that string.</summary>
    public static ulong HashKey(in StreamKey key)
    {
        var hash = StableHash.Append(StableHash.FnvOffset, key.Domain);
        hash = StableHash.Append(hash, "/");
        hash = StableHash.Append(hash, key.App);
        hash = StableHash.Append(hash, "/");
        return StableHash.Append(hash, key.Name);
    }

    /// <summary>Writes the candidates in the order to try into <paramref name="ranked"/> (at least as long as the input); allocates nothing for up to 32 candidates.</summary>
    public void Rank(in StreamKey key, ReadOnlySpan<RouteCandidate> candidates, long now, Span<RouteCandidate> ranked) =>
        Rank(HashKey(key), candidates, now, ranked);

    /// <inheritdoc cref="Rank(in StreamKey, ReadOnlySpan{RouteCandidate}, long, Span{RouteCandidate})"/>
    public void Rank(ulong keyHash, ReadOnlySpan<RouteCandidate> candidates, long now, Span<RouteCandidate> ranked)
    {
        int n = candidates.Length;
        if (ranked.Length < n)
        {
            throw new ArgumentException("the output is shorter than the candidate list", nameof(ranked));
        }
        double[]? rentedFigures = n > StackCandidates ? ArrayPool<double>.Shared.Rent(2 * n) : null;
        long[]? rentedClasses = n > StackCandidates ? ArrayPool<long>.Shared.Rent(n) : null;
        int[]? rentedOrder = n > StackCandidates ? ArrayPool<int>.Shared.Rent(n) : null;
        try
        {
            Span<double> figures = rentedFigures is null ? stackalloc double[2 * StackCandidates] : rentedFigures;
            Span<long> classes = rentedClasses is null ? stackalloc long[StackCandidates] : rentedClasses;
            Span<int> order = rentedOrder is null ? stackalloc int[StackCandidates] : rentedOrder;
            classes = classes[..n];
            order = order[..n];
            var costs = figures[..n];
            var scores = figures.Slice(n, n);
            for (int i = 0; i < n; i++)
            {
                var candidate = candidates[i];
                costs[i] = candidate.Health.Cost(now, out bool down);
                scores[i] = Score(keyHash, candidate);
                classes[i] = ClassOf(down, candidate.Priority);
                order[i] = i;
            }
            MarkTails(classes, costs);
            // Insertion sort: a handful of candidates, no delegate, no allocation.
            for (int i = 1; i < n; i++)
            {
                int item = order[i];
                int j = i - 1;
                while (j >= 0 && Before(item, order[j], candidates, classes, costs, scores))
                {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = item;
            }
            for (int i = 0; i < n; i++)
            {
                ranked[i] = candidates[order[i]];
            }
        }
        finally
        {
            if (rentedFigures is not null)
            {
                ArrayPool<double>.Shared.Return(rentedFigures);
                ArrayPool<long>.Shared.Return(rentedClasses!);
                ArrayPool<int>.Shared.Return(rentedOrder!);
            }
        }
    }

    /// <summary>
    /// Whether a stream pulling from <paramref name="current"/>, which still delivers, should move:
    /// only when some candidate of the same or a better class, not down, has cost less than
    /// LeaveCostRatio (50%) of the current one and at least LeaveMinGainMs (100 ms) less, at every
    /// call for LeaveHoldMs (3 s), and not within MinSwitchIntervalMs (15 s) of the stream's last
    /// switch; or when <paramref name="current"/> is no longer a candidate at all. Call it
    /// periodically (each second, say): the hold is measured between calls. A dead route needs
    /// no permission: move to the next in the ranking.
    /// </summary>
    public bool ShouldLeave(RouteSwitchState state, RouteCandidate current, ReadOnlySpan<RouteCandidate> ranked, long now)
    {
        bool listed = false;
        foreach (var candidate in ranked)
        {
            listed |= ReferenceEquals(candidate, current);
        }
        if (!listed)
        {
            return true;
        }
        double currentCost = current.Health.Cost(now);
        bool better = false;
        foreach (var candidate in ranked)
        {
            if (ReferenceEquals(candidate, current) || candidate.Priority > current.Priority)
            {
                continue;
            }
            double cost = candidate.Health.Cost(now, out bool down);
            if (!down && cost < _options.LeaveCostRatio * currentCost && currentCost - cost >= _options.LeaveMinGainMs)
            {
                better = true;
                break;
            }
        }
        var since = state.Observe(better, now);
        return since is { } start
            && now - start >= _options.LeaveHoldMs
            && (state.LastSwitchMs == long.MinValue || now - state.LastSwitchMs >= _options.MinSwitchIntervalMs);
    }

    private static double Score(ulong keyHash, RouteCandidate candidate)
    {
        if (candidate.Weight <= 0)
        {
            return 0;
        }
        ulong h = StableHash.Mix(keyHash ^ candidate.IdHash);
        double u = ((h >> 11) + 0.5) * (1.0 / (1UL << 53));
        return candidate.Weight / -Math.Log(u);
    }

    /// <summary>
    /// One sortable number per candidate: down candidates after every live one, then priority, and
    /// (the low bit, set by <see cref="MarkTails"/>) those not equally good after those that are.
    /// </summary>
    private static long ClassOf(bool down, int priority) =>
        ((down ? 1L : 0L) << 34) | ((long)(uint)(priority ^ int.MinValue) << 1);

    private void MarkTails(Span<long> classes, ReadOnlySpan<double> costs)
    {
        // All thresholds before any mark, since marking changes what counts as the same class.
        int n = classes.Length;
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                if (classes[j] >> 1 == classes[i] >> 1)
                {
                    best = Math.Min(best, costs[j]);
                }
            }
            if (costs[i] > best + Math.Max(_options.ToleranceMs, _options.ToleranceRatio * best))
            {
                classes[i] |= 1;
            }
        }
    }

    private static bool Before(int a, int b, ReadOnlySpan<RouteCandidate> candidates, ReadOnlySpan<long> classes, ReadOnlySpan<double> costs, ReadOnlySpan<double> scores)
    {
        if (classes[a] != classes[b])
        {
            return classes[a] < classes[b];
        }
        bool equallyGood = (classes[a] & 1) == 0;
        if (!equallyGood && costs[a] != costs[b])
        {
            return costs[a] < costs[b];
        }
        if (scores[a] != scores[b])
        {
            return scores[a] > scores[b];
        }
        return string.CompareOrdinal(candidates[a].Id, candidates[b].Id) < 0;
    }
}
