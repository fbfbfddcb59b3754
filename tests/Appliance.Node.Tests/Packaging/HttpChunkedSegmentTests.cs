using Appliance.Node.Tests.Support;
using Appliance.Protocols.Http;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>
/// LL-DASH chunked delivery through the in-memory HTTP session: the segment in progress (or the
/// next one) is sent part by part as the parts complete, and is then the same bytes as the
/// complete segment.
/// </summary>
public class HttpChunkedSegmentTests
{
    [Fact]
    public async Task The_segment_in_progress_is_sent_chunk_by_chunk_as_its_parts_complete_and_is_the_whole_segment()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();
        var video = cam.Packager.Snapshot.Video!;
        Assert.Equal(4, video.OpenNumber);

        var head = await client.RequestAsync("GET", "/live/cam/video-4.m4s", ct);
        // The parts made so far come at once; the rest as they complete.
        var early = Decoded(await client.Reader.ReadUntilAsync(bytes => Decoded(bytes).Length > 0, ct));
        cam.PublishUntil(9_600);
        Assert.False(IsFinished(await client.Reader.ReadUntilAsync(bytes => Decoded(bytes).Length > early.Length, ct)));
        cam.PublishUntil(10_400);
        var body = await client.Reader.ReadChunkedBodyAsync(ct);
        var whole = await client.RequestAsync("GET", "/live/cam/video-4.m4s", ct);

        Assert.Equal(200, head.Status);
        Assert.Equal("chunked", head.Header("Transfer-Encoding"));
        Assert.Null(head.Header("Content-Length"));
        Assert.Equal("video/mp4", head.Header("Content-Type"));
        Assert.Contains("immutable", head.Header("Cache-Control"));
        Assert.Equal(HttpCmafTests.BoxType(early), HttpCmafTests.BoxType(whole.Body));
        Assert.Equal(200, whole.Status);
        Assert.Equal(whole.Body, body);
        Assert.Equal(0, cam.Packager.HeldRequests);
        Assert.False(client.Run.IsCompleted);
    }

    [Fact]
    public async Task The_chunked_body_ends_when_its_segment_completes_not_with_the_next_segments_first_part()
    {
        using var cam = new CmafServer(untilMs: 9_800);
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var head = await client.RequestAsync("GET", "/live/cam/video-4.m4s", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the next part to be waited for");
        // Up to the segment's last frame: its last part is still open, so the body goes on.
        cam.PublishUntil(10_000);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1 && cam.Packager.Snapshot.Video!.LastPart == 8, "part 4.8 to be sent");
        // The keyframe at 10.0 s completes segment 4; segment 5 gets no part until more frames come.
        cam.PublishUntil(10_040);
        var body = await client.Reader.ReadChunkedBodyAsync(ct);

        Assert.Equal(200, head.Status);
        Assert.Equal((4L, 4L), (cam.Packager.Snapshot.Video!.LastComplete, cam.Packager.Snapshot.Video.LastPartMsn));
        var whole = await client.RequestAsync("GET", "/live/cam/video-4.m4s", ct);
        Assert.Equal(whole.Body, body);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Theory]
    [InlineData("video")]
    [InlineData("audio")]
    public async Task The_next_segment_is_held_until_its_first_part_then_sent_chunked(string track)
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var pending = client.RequestAsync("GET", $"/live/cam/{track}-5.m4s", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the request to be held");
        Assert.False(pending.IsCompleted);
        cam.PublishUntil(12_400);
        var head = await pending;
        var body = await client.Reader.ReadChunkedBodyAsync(ct);
        var whole = await client.RequestAsync("GET", $"/live/cam/{track}-5.m4s", ct);

        Assert.Equal(200, head.Status);
        Assert.Equal("chunked", head.Header("Transfer-Encoding"));
        Assert.Equal(whole.Body, body);
    }

    [Fact]
    public async Task Head_of_the_segment_in_progress_is_the_chunked_head_without_a_body()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var head = await client.RequestAsync("HEAD", "/live/cam/video-4.m4s", ct);
        var next = await client.RequestAsync("GET", "/live/cam/video-3.m4s", ct);

        Assert.Equal(200, head.Status);
        Assert.Equal("chunked", head.Header("Transfer-Encoding"));
        Assert.Equal(200, next.Status);
        Assert.Contains(HttpCmafTests.BoxType(next.Body), new[] { "styp", "moof" });
    }

    [Fact]
    public async Task A_segment_two_ahead_of_the_one_in_progress_is_404()
    {
        using var cam = new CmafServer();
        var client = cam.Client();

        var response = await client.RequestAsync("GET", "/live/cam/video-6.m4s", Eventually.Deadline());

        Assert.Equal(404, response.Status);
        Assert.Equal(0, cam.Packager.HeldRequests);
    }

    [Fact]
    public async Task A_client_that_leaves_during_a_chunked_segment_is_released()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        await client.RequestAsync("GET", "/live/cam/video-4.m4s", ct);
        await client.Reader.ReadUntilAsync(bytes => Decoded(bytes).Length > 0, ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the next part to be waited for");
        client.Connection.CloseInput();

        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 0, "the wait to be released");
        await client.Run.WaitAsync(Eventually.Timeout);
    }

    [Fact]
    public async Task The_stream_ending_finishes_the_segment_in_progress()
    {
        using var cam = new CmafServer();
        var client = cam.Client();
        var ct = Eventually.Deadline();

        var head = await client.RequestAsync("GET", "/live/cam/audio-4.m4s", ct);
        await Eventually.WaitAsync(() => cam.Packager.HeldRequests == 1, "the next part to be waited for");
        cam.Stream.EndFrom(cam.Source);
        var body = await client.Reader.ReadChunkedBodyAsync(ct);
        var whole = await client.RequestAsync("GET", "/live/cam/audio-4.m4s", ct);

        Assert.Equal(200, head.Status);
        Assert.Equal(200, whole.Status);
        Assert.Equal(whole.Body, body);
    }

    private static byte[] Decoded(byte[] bytes)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(bytes));
        new ChunkedBodyDecoder().TryRead(ref reader, output, out _);
        return output.WrittenSpan.ToArray();
    }

    private static bool IsFinished(byte[] bytes)
    {
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(bytes));
        new ChunkedBodyDecoder().TryRead(ref reader, new System.Buffers.ArrayBufferWriter<byte>(), out var finished);
        return finished;
    }
}
