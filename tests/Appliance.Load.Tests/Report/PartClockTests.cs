using System.Diagnostics;
using Appliance.Load.Report;

namespace Appliance.Load.Tests.Report;

public class PartClockTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    // Far from 0, as Stopwatch timestamps are.
    private static readonly long T0 = Ms(1_000_000);

    private static long At(double ms) => T0 + Ms(ms);

    private const int Playlist = (int)HeldKind.Playlist;
    private const int Part = (int)HeldKind.Part;
    private const int Chunk = (int)HeldKind.Chunk;

    [Fact]
    public void A_part_s_lag_is_from_its_first_response_to_its_last_held_one()
    {
        var clock = new PartClock();
        var track = clock.Track("/live/cam/video-init-1.mp4");
        clock.Record(track, 7, 2, HeldKind.Playlist, sentAt: At(0), arrivedAt: At(200));
        clock.Record(track, 7, 2, HeldKind.Part, sentAt: At(10), arrivedAt: At(203));
        clock.Record(track, 7, 2, HeldKind.Chunk, sentAt: At(-900), arrivedAt: At(212));

        var figures = clock.Finish();

        Assert.Equal(1, figures.Parts);
        Assert.Equal(12, figures.LastPerPart.Max, 3);
        Assert.Equal(1, figures.Held[Playlist]);
        Assert.Equal(0, figures.Lag[Playlist].Max, 3);
        Assert.Equal(200, figures.Answer[Playlist].Max, 3);
        Assert.Equal(3, figures.Lag[Part].Max, 3);
        Assert.Equal(193, figures.Answer[Part].Max, 3);
        Assert.Equal(12, figures.Lag[Chunk].Max, 3);
    }

    [Fact]
    public void A_response_to_a_request_sent_after_the_first_arrival_was_answered_at_once()
    {
        var clock = new PartClock();
        var track = clock.Track("/a/video-init.mp4");
        clock.Record(track, 1, 0, HeldKind.Part, At(0), At(100));
        clock.Record(track, 1, 0, HeldKind.Part, At(150), At(400));

        var figures = clock.Finish();

        Assert.Equal(1, figures.Held[Part]);
        Assert.Equal(1, figures.AtOnce[Part]);
        Assert.Equal(0, figures.LastPerPart.Max, 3);
    }

    [Fact]
    public void A_response_that_could_not_wait_counts_at_once_but_still_marks_the_part_s_first_arrival()
    {
        var clock = new PartClock();
        var track = clock.Track("/a/video-init.mp4");
        clock.Record(track, 1, 0, HeldKind.Part, At(-500), At(90), couldWait: false);
        clock.Record(track, 1, 0, HeldKind.Playlist, At(0), At(100));

        var figures = clock.Finish();

        Assert.Equal(1, figures.AtOnce[Part]);
        Assert.Equal(1, figures.Held[Playlist]);
        Assert.Equal(10, figures.LastPerPart.Max, 3);
    }

    [Fact]
    public void The_same_init_is_the_same_track_and_tracks_do_not_mix()
    {
        var clock = new PartClock();
        var video = clock.Track("/a/video-init.mp4");
        var audio = clock.Track("/a/audio-init.mp4");
        Assert.Equal(video, clock.Track("/a/video-init.mp4"));
        Assert.NotEqual(video, audio);
        clock.Record(video, 1, 0, HeldKind.Part, At(0), At(100));
        clock.Record(audio, 1, 0, HeldKind.Part, At(0), At(150));

        var figures = clock.Finish();

        Assert.Equal(2, figures.Parts);
        Assert.Equal(0, figures.LastPerPart.Max, 3);
    }

    [Fact]
    public void A_part_is_settled_five_seconds_after_its_first_response_and_later_ones_are_too_late()
    {
        var clock = new PartClock();
        var track = clock.Track("/a/video-init.mp4");
        clock.Record(track, 1, 0, HeldKind.Part, At(0), At(100));
        clock.Record(track, 1, 1, HeldKind.Part, At(0), At(5200));
        clock.Record(track, 1, 0, HeldKind.Part, At(0), At(5300));
        clock.Record(track, 0, 9, HeldKind.Part, At(0), At(5300));

        var figures = clock.Finish();

        Assert.Equal(2, figures.Late);
        Assert.Equal(2, figures.Parts);
        Assert.Equal(0, figures.LastPerPart.Max, 3);
    }

    [Fact]
    public void Without_responses_there_is_nothing_to_report()
    {
        var figures = new PartClock().Finish();

        Assert.Equal(0, figures.Parts);
        Assert.Equal(0, figures.Late);
        Assert.All(figures.Held, held => Assert.Equal(0, held));
    }
}
