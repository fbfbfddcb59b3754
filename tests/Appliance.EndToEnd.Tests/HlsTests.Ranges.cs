using System.Net;
using System.Net.Http.Headers;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests;

public sealed partial class HlsTests
{
    [Fact]
    public async Task Byte_ranges_of_a_real_segment_are_the_matching_slices_of_the_whole_segment()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var playlist = await Hls.WaitForPlaylistAsync(Daemon, PlaylistPath, p => p.Entries.Count >= 2, TimeSpan.FromSeconds(20), "two segments");
        var url = Daemon.HttpUrl("live/" + playlist.Entries[^2].Uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var whole = await http.GetByteArrayAsync(url, cts.Token);
        // Past the 64 KiB the sender writes at a time when the socket is full, so offsets are exercised beyond one chunk.
        Assert.True(whole.Length > 100_000, $"segment of {whole.Length} bytes");
        var middle = whole.Length / 2;

        foreach (var (header, first, last) in new (RangeHeaderValue, long, long)[]
        {
            (new RangeHeaderValue(0, 187), 0, 187),
            (new RangeHeaderValue(middle, middle + 70_000), middle, middle + 70_000),
            (new RangeHeaderValue(middle, null), middle, whole.Length - 1),
            (new RangeHeaderValue(null, 1000), whole.Length - 1000, whole.Length - 1),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = header } };
            using var response = await http.SendAsync(request, cts.Token);
            var body = await response.Content.ReadAsByteArrayAsync(cts.Token);

            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(new ContentRangeHeaderValue(first, last, whole.Length).ToString(), response.Content.Headers.ContentRange?.ToString());
            Assert.Equal(whole[(int)first..(int)(last + 1)], body);
        }

        // curl, as an operator would check it.
        var saved = Path.Combine(Path.GetTempPath(), $"range-{Guid.NewGuid():N}.ts");
        await using var curl = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(15), "curl", "-sS", "-r", "1000-1999", "-D", "/dev/stderr", "-o", saved, url);
        var curlBody = await File.ReadAllBytesAsync(saved, cts.Token);
        File.Delete(saved);
        Assert.Equal(0, curl.ExitCode);
        Assert.Equal(whole[1000..2000], curlBody);
        Assert.Contains("HTTP/1.1 206", curl.Stderr, StringComparison.Ordinal);
        Assert.Contains($"Content-Range: bytes 1000-1999/{whole.Length}", curl.Stderr, StringComparison.Ordinal);
        Assert.Contains("Accept-Ranges: bytes", curl.Stderr, StringComparison.Ordinal);

        using var past = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(whole.Length, null) } };
        using var refused = await http.SendAsync(past, cts.Token);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, refused.StatusCode);
        Assert.Equal($"bytes */{whole.Length}", refused.Content.Headers.ContentRange?.ToString());
    }
}
