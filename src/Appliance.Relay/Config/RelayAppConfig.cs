using System.Text.Json.Serialization;
using Appliance.Streaming.Settings;

namespace Appliance.Relay.Config;

/// <summary>An app's keys for where its streams come from and go to, on top of the keys its streams obey.</summary>
public class RelayAppConfig : StreamingAppConfig
{
    /// <summary>Where streams of this app come from when nobody publishes them here: parent nodes or the customer's origin.</summary>
    [JsonPropertyOrder(13)]
    public List<UpstreamConfig> Upstreams { get; set; } = [];

    [JsonPropertyOrder(14)]
    public PullConfig Pull { get; set; } = new();

    /// <summary>
    /// Where every stream published here is forwarded to: RTMP URLs (rtmp://host[:port]/app, or rtmps://),
    /// each a string or an object that also names the CA file and pin of an rtmps:// target.
    /// </summary>
    [JsonPropertyOrder(15)]
    public List<PushTargetConfig> Push { get; set; } = [];
}
