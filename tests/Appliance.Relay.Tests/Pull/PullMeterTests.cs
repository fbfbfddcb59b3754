using Appliance.Relay.Pull;
using Appliance.Relay.Routing;

namespace Appliance.Relay.Tests.Pull;

/// <summary><see cref="PullMeter"/>: whether a path carries the stream, and the hiccups a viewer would notice.</summary>
public sealed class PullMeterTests
{
    private const byte Audio = 8;
    private const byte Video = 9;
    private const byte Script = 18;
    private const int FrameBytes = 5_000;

    private readonly PullMeter _meter = new(nowMs: 0, bytesReceived: 0, hiccupMs: 1_000, jumpMs: 2_000);
    private long _now;
    private long _bytes;
    private uint _timestamp = 10_000;

    /// <summary>The first media message: it starts the timeline and brings no step of its own.</summary>
    private void Start() => Assert.False(_meter.OnMessage(Video, _timestamp, _now));

    /// <summary>Video frames 40 ms of media apart, arriving <paramref name="everyMs"/> apart; the hiccups seen.</summary>
    private int Deliver(int frames, int everyMs, int stepMs = 40)
    {
        int hiccups = 0;
        for (int i = 0; i < frames; i++)
        {
            _now += everyMs;
            _timestamp += (uint)stepMs;
            _bytes += FrameBytes;
            hiccups += _meter.OnMessage(Video, _timestamp, _now) ? 1 : 0;
        }
        return hiccups;
    }

    private double Carry()
    {
        Assert.True(_meter.TryTakeSample(_now, _bytes, out var bytesPerSecond, out var mediaBytesPerSecond));
        var health = new CandidateHealth(clock: () => _now);
        health.RecordThroughput(bytesPerSecond, mediaBytesPerSecond);
        return health.Snapshot(_now).CarryRatio!.Value;
    }

    [Fact]
    public void A_path_that_delivers_in_real_time_carries_the_stream_without_hiccups()
    {
        Start();
        Assert.Equal(0, Deliver(25, everyMs: 40));

        Assert.Equal(1.0, Carry(), 3);
    }

    [Fact]
    public void A_path_at_half_the_streams_rate_carries_half_of_it_though_every_byte_it_got_reached_the_stream()
    {
        Start();
        // 50 frames over 2 s of wall time bring 1 s of media: what the stream took in is what came, at half speed.
        Assert.Equal(0, Deliver(50, everyMs: 40, stepMs: 20));

        Assert.Equal(0.5, Carry(), 3);
    }

    [Fact]
    public void A_catch_up_burst_counts_as_carrying_and_no_more()
    {
        Start();
        // A parent's GOP cache: a second of media at once, then live.
        Deliver(25, everyMs: 0);
        Deliver(25, everyMs: 40);

        Assert.Equal(1.0, Carry(), 3);
    }

    [Fact]
    public void A_short_stall_is_one_hiccup_and_the_burst_after_it_is_none()
    {
        Start();
        Deliver(10, everyMs: 40);

        Assert.Equal(1, Deliver(1, everyMs: 1_200));
        Assert.Equal(0, Deliver(30, everyMs: 0));
        Assert.Equal(0, Deliver(10, everyMs: 40));
    }

    [Fact]
    public void Jitter_and_merged_writes_below_the_threshold_are_not_hiccups()
    {
        Start();
        // A parent that merges writes every 900 ms sends its frames in bunches.
        int hiccups = 0;
        for (int bunch = 0; bunch < 10; bunch++)
        {
            hiccups += Deliver(1, everyMs: 900);
            hiccups += Deliver(21, everyMs: 0);
        }

        Assert.Equal(0, hiccups);
    }

    [Fact]
    public void A_slow_stream_is_late_by_nothing_however_far_apart_its_frames_are()
    {
        Start();
        Assert.Equal(0, Deliver(5, everyMs: 1_500, stepMs: 1_500));
    }

    [Fact]
    public void Media_the_parent_skipped_is_a_hiccup_and_does_not_count_as_delivered()
    {
        Start();
        Deliver(25, everyMs: 40);
        Carry();

        // The parent dropped 5 s of media for this slow path; 0.5 s of media came in the next second.
        Assert.Equal(1, Deliver(1, everyMs: 0, stepMs: 5_000));
        Assert.Equal(0, Deliver(25, everyMs: 40, stepMs: 20));

        Assert.Equal(0.5, Carry(), 3);
    }

    [Fact]
    public void A_new_timeline_from_the_upstream_is_measured_from_its_start()
    {
        Start();
        Deliver(10, everyMs: 40);
        _timestamp = 0;

        Assert.Equal(0, Deliver(15, everyMs: 40));

        // Everything but the new timeline's first frame, which has nothing to step from.
        Assert.Equal(0.96, Carry(), 3);
    }

    [Fact]
    public void The_32_bit_timestamp_wrap_is_a_step_forward()
    {
        _timestamp = uint.MaxValue - 100;
        Start();

        Assert.Equal(0, Deliver(25, everyMs: 40));

        Assert.Equal(1.0, Carry(), 2);
    }

    [Fact]
    public void Metadata_carries_no_timeline_and_audio_behind_video_moves_nothing()
    {
        Start();
        Assert.False(_meter.OnMessage(Script, 0, _now += 20));
        Assert.False(_meter.OnMessage(Audio, _timestamp - 20, _now += 20));
        Deliver(24, everyMs: 40);

        // 24 video steps of 40 ms in a second: the audio frame behind the video neither stepped back nor forward.
        Assert.Equal(0.96, Carry(), 3);
    }

    [Fact]
    public void No_sample_before_a_second_and_no_stream_rate_from_a_second_without_media()
    {
        Start();
        Deliver(10, everyMs: 40);
        Assert.False(_meter.TryTakeSample(_now, _bytes, out _, out _));

        _now += 1_000;
        Assert.True(_meter.TryTakeSample(_now, _bytes, out var bytesPerSecond, out var mediaBytesPerSecond));
        Assert.Equal(50_000 / 1.4, bytesPerSecond, 3);
        Assert.Equal(50_000 / 0.4, mediaBytesPerSecond!.Value, 3);

        _now += 1_000;
        Assert.True(_meter.TryTakeSample(_now, _bytes, out bytesPerSecond, out mediaBytesPerSecond));
        Assert.Equal(0, bytesPerSecond);
        Assert.Null(mediaBytesPerSecond);
    }
}
