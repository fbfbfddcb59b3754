using Appliance.Streaming.Settings;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Streams;

public class PauseTests
{
    [Fact]
    public void APausedViewerGetsNothing()
    {
        var h = new StreamHarness();
        h.PublishHeaders();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);

        h.Stream.SetPaused(viewer, true);
        h.PublishGop(1000, 1080);
        var (result, tags) = h.Collect(viewer);

        Assert.Equal(CollectResult.Idle, result);
        Assert.Empty(tags);
    }

    [Fact]
    public void UnpausingRestartsAtTheNewestKeyFrameWithHeaders()
    {
        var h = new StreamHarness(app => app.JoinMode = JoinModes.KeyFrame);
        h.PublishHeaders();
        h.PublishGop(0, 40);
        var viewer = h.Subscribe();
        h.Collect(viewer);
        h.Stream.SetPaused(viewer, true);
        h.PublishGop(1000, 1080);

        h.Stream.SetPaused(viewer, false);
        var (_, tags) = h.Collect(viewer);

        Assert.Equal("Script@0 Video@0 Audio@0 Video@1000 Video@1040 Video@1080", FlvTags.Describe(tags));
    }
}
