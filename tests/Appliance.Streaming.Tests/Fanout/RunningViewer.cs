using Appliance.Streaming.Fanout;
using Appliance.Streaming.Media;
using Appliance.Tests.Support;

namespace Appliance.Streaming.Tests.Fanout;

/// <summary>A subscribed FLV viewer whose writer's send loop runs, recording what it writes.</summary>
internal sealed class RunningViewer
{
    private RunningViewer(RecordingSink sink, ConnectionWriter writer)
    {
        Sink = sink;
        Writer = writer;
        Run = writer.RunAsync();
    }

    public RecordingSink Sink { get; }

    public ConnectionWriter Writer { get; }

    /// <summary>The send loop: completes with the reason it stopped.</summary>
    public Task<string> Run { get; }

    /// <summary>Starts the loop, then subscribes (a plain socket's sink unless <paramref name="sink"/> says otherwise).</summary>
    public static RunningViewer Start(StreamHarness h, RecordingSink? sink = null)
    {
        sink ??= new RecordingSink();
        var viewer = new RunningViewer(sink, new ConnectionWriter(sink));
        Assert.NotNull(h.Stream.Subscribe(viewer.Writer, WireFormat.Flv));
        return viewer;
    }

    public Task WaitForTagsAsync(int count) =>
        Eventually.WaitAsync(() => FlvTags.ParseTags(Sink.AllBytes()).Count >= count, $"{count} tags");

    public async Task StopAsync()
    {
        Writer.Close("test over");
        await Run.WaitAsync(Eventually.Timeout);
    }
}
