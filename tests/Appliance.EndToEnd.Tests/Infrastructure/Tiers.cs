namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>Config pieces for nodes that pull from other nodes.</summary>
public static class Tiers
{
    /// <summary>The app body of a node pulling "live" from the given parents, plus any more app settings.</summary>
    public static string PullingApp(IEnumerable<string> upstreamUrls, string pull = "", string more = "") =>
        "\"upstreams\": [" + string.Join(", ", upstreamUrls.Select(u => $"{{ \"url\": \"{u}\" }}")) + "], " +
        "\"pull\": { " + pull + " }" + (more.Length > 0 ? ", " + more : "");

    /// <summary>The app body of a node pulling "live" from upstreams given as JSON objects (with healthUrl, priority...), plus pull settings.</summary>
    public static string UpstreamsApp(IEnumerable<string> upstreamObjects, string pull = "") =>
        "\"upstreams\": [" + string.Join(", ", upstreamObjects) + "], \"pull\": { " + pull + " }";

    public static string Rtmp(DaemonProcess parent) => $"rtmp://{parent.ListenHost}:{parent.RtmpPort}/live";

    public static string Flv(DaemonProcess parent) => $"http://{parent.ListenHost}:{parent.HttpPort}/{{app}}/{{stream}}.flv";

    public static string Node(string id) => $"\"node\": {{ \"id\": \"{id}\" }},";

    /// <summary>The stream directory section: this Redis under its own key prefix; with <paramref name="advertise"/>, the node registers what is published at it.</summary>
    public static string Directory(RedisServer redis, string keyPrefix, string advertise = "") =>
        $"\"directory\": {{ \"redis\": \"{redis.Address}\", \"advertise\": \"{advertise}\", \"keyPrefix\": \"{keyPrefix}\" }},";

    /// <summary>A loopback port free right now, for a node that must advertise its RTMP port before it starts.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Sessions of one protocol at a node, as appliancectl lists them.</summary>
    public static async Task<int> SessionsAsync(DaemonProcess node, string protocol)
    {
        var counts = await Appliancectl.SessionCountsAsync(node);
        return counts.GetValueOrDefault(protocol);
    }
}
