using Appliance.Load.Run;
using Appliance.Load.Viewers;

namespace Appliance.Load.Tests.Run;

public class ChurnPickerTests
{
    [Fact]
    public void PicksOnlyPlayingViewersEachAtMostOnce()
    {
        var states = new Dictionary<int, ViewerState>();
        var picker = new ChurnPicker(seed: 7);
        for (var i = 0; i < 10; i++)
        {
            states[i] = i < 3 ? ViewerState.Connecting : ViewerState.Playing;
            picker.Add(i);
        }

        var first = picker.Pick(4, i => states[i]);
        var second = picker.Pick(10, i => states[i]);

        Assert.Equal(4, first.Count);
        Assert.All(first, i => Assert.True(i >= 3, $"viewer {i} was still connecting"));
        // The 7 playing viewers: 4 picked first, the other 3 now; none twice, none connecting.
        Assert.Equal(3, second.Count);
        Assert.Empty(first.Intersect(second));
        Assert.Equal(Enumerable.Range(3, 7), first.Concat(second).Order());
        Assert.Equal(3, picker.Active);
    }

    [Fact]
    public void ViewersThatEndedOnTheirOwnLeaveTheSet()
    {
        var states = new Dictionary<int, ViewerState> { [0] = ViewerState.Playing, [1] = ViewerState.Dropped, [2] = ViewerState.Failed, [3] = ViewerState.Finished };
        var picker = new ChurnPicker(seed: 1);
        foreach (var i in states.Keys)
        {
            picker.Add(i);
        }

        Assert.Equal([0], picker.Pick(3, i => states[i]));
        Assert.Equal(0, picker.Active);
        Assert.Empty(picker.Pick(3, i => states[i]));
    }

    [Fact]
    public void TheChoiceIsRandomButRepeatsWithTheSameSeed()
    {
        List<int> PickWith(int seed)
        {
            var picker = new ChurnPicker(seed);
            for (var i = 0; i < 1000; i++)
            {
                picker.Add(i);
            }
            return picker.Pick(50, _ => ViewerState.Playing);
        }

        var once = PickWith(3);
        Assert.Equal(once, PickWith(3));
        Assert.NotEqual(once, PickWith(4));
        // Not simply the first (or last) 50 started: spread over the whole cohort.
        Assert.Contains(once, i => i < 500);
        Assert.Contains(once, i => i >= 500);
    }
}
