using System.Diagnostics;
using System.Text;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>CMAF as a player fetches it from one node: media playlists, MPDs and files of live/cam.</summary>
public static class CmafFetch
{
    /// <summary>The media playlist (<c>video-ll.m3u8</c>, <c>audio.m3u8</c>...) of <paramref name="track"/>; fails on anything but 200.</summary>
    public static async Task<CmafMediaPlaylist> PlaylistAsync(DaemonProcess node, string name, string track, CancellationToken ct, string query = "")
    {
        var response = await Hls.GetAsync(node, $"/live/cam/{name}{query}", ct);
        Assert.True(response.Status == 200, $"GET {name}{query} at :{node.HttpPort}: {response.Status} {response.Text}");
        return CmafMediaPlaylist.Parse(response.Text, track);
    }

    public static async Task<Dictionary<string, DashTrack>> MpdAsync(DaemonProcess node, string path, CancellationToken ct)
    {
        var response = await Hls.GetAsync(node, path, ct);
        Assert.True(response.Status == 200, $"GET {path} at :{node.HttpPort}: {response.Status} {response.Text}");
        return DashMpd.Parse(response.Text);
    }

    /// <summary>A file beside the playlists (init, segment, part), by its URI in a playlist.</summary>
    public static async Task<byte[]> FileAsync(DaemonProcess node, string uri, CancellationToken ct)
    {
        var response = await Hls.GetAsync(node, $"/live/cam/{uri}", ct);
        Assert.True(response.Status == 200, $"GET {uri} at :{node.HttpPort}: {response.Status} {response.Text}");
        return response.Body;
    }

    /// <summary>
    /// Polls both nodes' playlist <paramref name="name"/> until they list at least
    /// <paramref name="minShared"/> complete segments with the same numbers; the last pair read.
    /// </summary>
    public static async Task<(CmafMediaPlaylist A, CmafMediaPlaylist B)> SharedWindowAsync(DaemonProcess a, DaemonProcess b, string name, string track, int minShared, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var fromA = PlaylistAsync(a, name, track, ct);
            var fromB = PlaylistAsync(b, name, track, ct);
            var (listA, listB) = (await fromA, await fromB);
            if (SharedNumbers(listA, listB).Count >= minShared)
            {
                return (listA, listB);
            }
            Assert.True(clock.Elapsed < timeout, $"{name}: no {minShared} segments in common within {timeout.TotalSeconds:F0} s\n{listA.Text}\n---\n{listB.Text}");
            await Task.Delay(500, ct);
        }
    }

    public static List<long> SharedNumbers(CmafMediaPlaylist a, CmafMediaPlaylist b) =>
        a.Segments.Select(s => s.Number).Intersect(b.Segments.Select(s => s.Number)).ToList();

    /// <summary>Fails with where two copies of one file part ways, fragment by fragment, when their bytes differ.</summary>
    public static void AssertSameBytes(string what, byte[] a, byte[] b)
    {
        if (a.AsSpan().SequenceEqual(b))
        {
            return;
        }
        var at = 0;
        while (at < Math.Min(a.Length, b.Length) && a[at] == b[at])
        {
            at++;
        }
        Assert.Fail($"{what}: {a.Length} and {b.Length} bytes, first difference at byte {at}\n{Describe(a)}\n---\n{Describe(b)}");
    }

    /// <summary>The fragments of a media segment or part, one line each: sequence, track, tfdt, samples and their durations.</summary>
    public static string Describe(byte[] media)
    {
        try
        {
            var text = new StringBuilder();
            foreach (var f in Fmp4Reader.Read(media))
            {
                text.Append($"seq {f.Sequence} track {f.TrackId} tfdt {f.DecodeTime} samples {f.Samples.Count} durations [{string.Join(',', f.Samples.Select(s => s.Duration))}] sync0 {f.Samples[0].Sync}\n");
            }
            return text.ToString();
        }
        catch (Exception ex)
        {
            return $"(not read as fragments: {ex.Message})";
        }
    }
}
