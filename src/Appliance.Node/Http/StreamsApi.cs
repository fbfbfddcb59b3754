using System.Text.Json;
using Appliance.Core.Time;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Http;

/// <summary>The JSON listing of live streams at GET / and /api/streams.</summary>
internal static class StreamsApi
{
    /// <param name="withClientAddresses">
    /// False for the public listener: a stream's source is then only its kind ("rtmp-publish",
    /// "pull"), never the publisher's address or the upstream's URL.
    /// </param>
    public static byte[] Render(StreamRegistry registry, bool withClientAddresses)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("streams");
            var now = MonotonicClock.NowMs;
            foreach (var stream in registry.Streams)
            {
                var stats = stream.Stats;
                json.WriteStartObject();
                json.WriteString("domain", stream.Key.Domain);
                json.WriteString("app", stream.Key.App);
                json.WriteString("name", stream.Key.Name);
                var source = stream.Source?.Description;
                json.WriteString("source", withClientAddresses ? source : SourceKind(source));
                json.WriteNumber("uptimeSeconds", (now - stream.CreatedAtMs) / 1000);
                json.WriteString("videoCodec", stats.VideoCodec);
                json.WriteString("audioCodec", stats.AudioCodec);
                json.WriteNumber("width", stats.Width);
                json.WriteNumber("height", stats.Height);
                json.WriteNumber("framesIn", stats.Frames);
                json.WriteNumber("bytesIn", stats.Bytes);
                json.WriteNumber("seamlessSourceChanges", stream.SeamlessSourceChanges);
                json.WriteStartObject("viewers");
                var viewers = stream.CountViewers();
                json.WriteNumber("rtmp", viewers.Rtmp);
                json.WriteNumber("flv", viewers.Flv);
                json.WriteNumber("ts", viewers.Ts);
                json.WriteNumber("hls", viewers.Hls);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    /// <summary>A source description's first word, its kind; what follows names a peer.</summary>
    private static string? SourceKind(string? description)
    {
        var space = description?.IndexOf(' ') ?? -1;
        return space < 0 ? description : description![..space];
    }
}
