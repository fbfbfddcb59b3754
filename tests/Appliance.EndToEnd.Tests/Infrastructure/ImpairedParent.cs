namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A parent node pulling "live" from an origin, reached only through impairment relays: one in
/// front of its RTMP port, one in front of its HTTP port (HTTP-FLV and the health endpoint), both
/// spoiled alike, so whatever an edge measures of the parent, pulls and probes, crosses the same
/// bad (or good) path.
/// </summary>
public sealed class ImpairedParent : IAsyncDisposable
{
    private ImpairedParent(DaemonProcess node, ImpairmentRelay rtmp, ImpairmentRelay http)
    {
        Node = node;
        Rtmp = rtmp;
        Http = http;
    }

    public DaemonProcess Node { get; }

    public ImpairmentRelay Rtmp { get; }

    public ImpairmentRelay Http { get; }

    /// <summary>Starts a node keeping live/cam pulled from <paramref name="origin"/>, behind clean relays.</summary>
    public static async Task<ImpairedParent> StartAsync(DaemonProcess origin, string nodeId)
    {
        var node = await DaemonProcess.StartAsync(
            appJson: Tiers.PullingApp([Tiers.Rtmp(origin)], pull: "\"mode\": \"always\", \"streams\": [\"cam\"]"),
            rootJson: Tiers.Node(nodeId));
        return new ImpairedParent(node, new ImpairmentRelay(node.RtmpPort), new ImpairmentRelay(node.HttpPort));
    }

    /// <summary>Both directions of both relays: the path to this parent, as a whole.</summary>
    public void Set(Impairment impairment)
    {
        Rtmp.Set(impairment);
        Http.Set(impairment);
    }

    /// <summary>
    /// This parent as an edge's upstream over <paramref name="protocol"/> ("http-flv" or "rtmp"):
    /// HTTP-FLV is probed at /api/health on its own (relayed) port; RTMP gets a healthUrl through
    /// the HTTP relay, since a TCP connect to a relay would answer at once however bad the path.
    /// </summary>
    public string UpstreamJson(string protocol) => protocol switch
    {
        "http-flv" => $"{{ \"url\": \"http://127.0.0.1:{Http.Port}/{{app}}/{{stream}}.flv\" }}",
        "rtmp" => $"{{ \"url\": \"rtmp://127.0.0.1:{Rtmp.Port}/live\", \"healthUrl\": \"http://127.0.0.1:{Http.Port}/api/health\" }}",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "http-flv or rtmp"),
    };

    /// <summary>Whether an upstream URL (a stream's source, a route) is this parent's, over either relay.</summary>
    public bool Owns(string url) =>
        url.Contains($"127.0.0.1:{Http.Port}/", StringComparison.Ordinal) || url.Contains($"127.0.0.1:{Rtmp.Port}/", StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await Rtmp.DisposeAsync();
        await Http.DisposeAsync();
        await Node.DisposeAsync();
    }
}
