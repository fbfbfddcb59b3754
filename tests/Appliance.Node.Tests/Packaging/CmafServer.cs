using Appliance.Node.Config;
using Appliance.Node.Tests.Support;
using Appliance.Streaming.Streams;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Packaging;

/// <summary>
/// A node with live/cam published (25 fps, a keyframe every second unless told otherwise, AAC)
/// and its CMAF packaging started and fed up to <see cref="PublishedMs"/>: 2 s segments, so
/// segments 0 to 3 are complete and segment 4 is in progress with parts.
/// </summary>
internal sealed class CmafServer : IDisposable
{
    public CmafServer(Action<ApplianceConfig>? configure = null, long untilMs = 9_000, long keyIntervalMs = 1000)
    {
        KeyIntervalMs = keyIntervalMs;
        Server = new TestServer(configure);
        (Stream, Source) = HttpTsSessionTests.PublishTsLive(Server, "cam", Frames, untilMs: 1_000, keyIntervalMs);
        Assert.NotNull(Stream.RequestCmaf(Appliance.Node.Http.HttpServerSession.TimePath));
        PublishedMs = 1_000;
        PublishUntil(untilMs);
    }

    public TestServer Server { get; }

    public Frames Frames { get; } = new();

    public LiveStream Stream { get; }

    public TestSource Source { get; }

    public long PublishedMs { get; private set; }

    public long KeyIntervalMs { get; }

    public Appliance.Streaming.Packaging.Cmaf.CmafPackager Packager => Stream.Cmaf!;

    /// <summary>A connection to the node, from loopback or from <paramref name="from"/>.</summary>
    public HttpClientSide Client(System.Net.IPAddress? from = null) => new(Server, client: from);

    /// <summary>Publishes more of the same media, up to <paramref name="untilMs"/>.</summary>
    public void PublishUntil(long untilMs)
    {
        HttpTsSessionTests.PublishMore(Stream, Source, Frames, PublishedMs, untilMs, KeyIntervalMs);
        PublishedMs = Math.Max(PublishedMs, untilMs);
    }

    /// <summary>The lines of a playlist that are URIs (not tags), and the URIs quoted in its tags.</summary>
    public static List<string> Uris(string playlist)
    {
        var uris = new List<string>();
        foreach (var line in playlist.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith('#'))
            {
                uris.Add(line);
                continue;
            }
            var at = line.IndexOf("URI=\"", StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = at + 5;
                uris.Add(line[start..line.IndexOf('"', start)]);
            }
        }
        return uris;
    }

    public void Dispose() => Server.Dispose();
}
