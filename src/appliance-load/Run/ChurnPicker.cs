using Appliance.Load.Viewers;

namespace Appliance.Load.Run;

/// <summary>
/// The viewers churn may stop: those started and not yet stopped. Each tick it picks, at random,
/// viewers that are playing, so a viewer still connecting is never cut off (it would count as
/// failed) and one that ended on its own is not picked again. Random from a seed, so a run can be
/// repeated.
/// </summary>
internal sealed class ChurnPicker(int seed)
{
    private readonly Random _random = new(seed);
    private readonly List<int> _active = [];
    private readonly List<int> _playing = [];

    /// <summary>Started viewers not yet picked (some may have ended on their own since).</summary>
    public int Active => _active.Count;

    public void Add(int viewer) => _active.Add(viewer);

    /// <summary>
    /// Up to <paramref name="count"/> viewers whose state is <see cref="ViewerState.Playing"/>, each
    /// at most once over the run; fewer when fewer are playing. Viewers that ended leave the set.
    /// </summary>
    public List<int> Pick(int count, Func<int, ViewerState> stateOf)
    {
        _playing.Clear();
        var kept = 0;
        for (var i = 0; i < _active.Count; i++)
        {
            var viewer = _active[i];
            var state = stateOf(viewer);
            if (state is ViewerState.Failed or ViewerState.Dropped or ViewerState.Finished)
            {
                continue;
            }
            _active[kept++] = viewer;
            if (state == ViewerState.Playing)
            {
                _playing.Add(viewer);
            }
        }
        _active.RemoveRange(kept, _active.Count - kept);

        // A partial Fisher-Yates shuffle: the first `take` of _playing are a uniform random choice.
        var take = Math.Min(count, _playing.Count);
        var picked = new List<int>(take);
        for (var i = 0; i < take; i++)
        {
            var j = _random.Next(i, _playing.Count);
            (_playing[i], _playing[j]) = (_playing[j], _playing[i]);
            picked.Add(_playing[i]);
        }
        if (take > 0)
        {
            var gone = new HashSet<int>(picked);
            _active.RemoveAll(gone.Contains);
        }
        return picked;
    }
}
