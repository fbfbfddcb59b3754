namespace Appliance.Streaming.Fanout;

/// <summary>What a writer collects its subscriber's frames from (a live stream), without knowing more of it.</summary>
public interface IFrameSource
{
    /// <summary>Moves what <paramref name="subscription"/> has not yet been sent into <paramref name="batch"/>.</summary>
    CollectResult Collect(Subscription subscription, OutputBatch batch);

    /// <summary>Pauses or resumes a subscriber (resuming starts it again at a keyframe).</summary>
    void SetPaused(Subscription subscription, bool paused);

    /// <summary>The subscriber has gone: its place in the source is freed.</summary>
    void Unsubscribe(Subscription subscription);
}
