using System.Net;
using System.Text;
using System.Text.Json;
using Appliance.Node.Config;

namespace Appliance.Node.Player;

/// <summary>
/// The HTML of /{app}/{stream}.html: a chooser of the stream's outputs (those its app serves),
/// a video element and the figures player.js fills in. Media URLs are relative to the page, so
/// a token carried in its path (an HMAC element, a Type B or C prefix) stays in front of them,
/// and each carries the page's query as it came, so a token there reaches every output.
/// </summary>
public static class PlayerPage
{
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>
    /// Nothing but this node: scripts, requests and media from its own origin (the players play
    /// through blob: URLs, and hls.js runs its worker from one), inline styles, no frames.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; media-src 'self' blob:; worker-src 'self' blob:; " +
        "style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    /// <summary>One output a viewer can choose: its id (the page's #hash), name, player and URL.</summary>
    public readonly record struct Output(string Id, string Label, string Player, string Url, string? Type = null, bool LowLatency = false);

    /// <summary>The outputs of stream <paramref name="name"/> in <paramref name="app"/>, with <paramref name="query"/> carried into each URL.</summary>
    public static List<Output> Outputs(AppConfig app, string name, string? query)
    {
        var stream = "./" + Uri.EscapeDataString(name);
        var carried = string.IsNullOrEmpty(query) ? "" : "?" + query;
        var outputs = new List<Output> { new("flv", "HTTP-FLV", "mpegts", $"{stream}.flv{carried}", Type: "flv") };
        if (app.Hls.Enabled)
        {
            outputs.Add(new("hls", "HLS (MPEG-TS)", "hls", $"{stream}.m3u8{carried}"));
        }
        // An app that encrypts HLS refuses its clear CMAF routes: the page does not offer them.
        if (app.Cmaf.Enabled && !app.Hls.Encryption.Enabled)
        {
            outputs.Add(new("cmaf", "HLS fMP4 (CMAF)", "hls", $"{stream}/cmaf.m3u8{carried}"));
            outputs.Add(new("llhls", "LL-HLS", "hls", $"{stream}/llhls.m3u8{carried}", LowLatency: true));
            outputs.Add(new("dash", "DASH", "dash", $"{stream}.mpd{carried}"));
            outputs.Add(new("lldash", "LL-DASH", "dash", $"{stream}.mpd?ll=1{(carried.Length > 0 ? "&" + query : "")}"));
        }
        outputs.Add(new("ts", "HTTP-TS", "mpegts", $"{stream}.ts{carried}", Type: "mpegts"));
        return outputs;
    }

    public static byte[] Render(AppConfig app, string name, string? query, PlayerFiles files)
    {
        var title = WebUtility.HtmlEncode($"{app.Name}/{name}");
        var html = new StringBuilder(4096);
        html.Append("""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="icon" href="data:,">
            """).Append('\n');
        html.Append("<title>").Append(title).Append(" - appliance player</title>\n");
        html.Append("""
            <style>
            body { font: 14px system-ui, sans-serif; margin: 1em; color: #222; }
            h1 { font-size: 1.2em; margin: 0 0 .5em; }
            video { width: 100%; max-width: 960px; aspect-ratio: 16 / 9; background: #000; display: block; }
            dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
            dt { color: #666; }
            dd { margin: 0; font-variant-numeric: tabular-nums; }
            #direct { word-break: break-all; }
            #errors { color: #a00; }
            </style>
            </head>
            <body>
            """).Append('\n');
        html.Append("<h1>").Append(title).Append("</h1>\n");
        html.Append("""
            <p><label>Output <select id="output"></select></label> <a id="direct" href=""></a></p>
            <video id="video" controls muted autoplay playsinline></video>
            <dl>
            <dt>protocol</dt><dd id="stat-protocol">-</dd>
            <dt>state</dt><dd id="stat-state">-</dd>
            <dt>latency</dt><dd id="stat-latency">-</dd>
            <dt>bitrate</dt><dd id="stat-bitrate">-</dd>
            <dt>resolution</dt><dd id="stat-resolution">-</dd>
            <dt>stalls</dt><dd id="stat-stalls">-</dd>
            <dt>time</dt><dd id="stat-time">-</dd>
            </dl>
            <ol id="errors"></ol>
            <script type="application/json" id="player-config">
            """);
        html.Append(Config(app, name, query, files)).Append("</script>\n");
        files.TryGet("player.js", out var script);
        html.Append("<script src=\"").Append(PlayerFiles.Prefix).Append("player.js?v=").Append(script?.Version).Append("\"></script>\n");
        html.Append("</body>\n</html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    /// <summary>
    /// The page's JSON: outputs and library URLs. The writer's default encoder escapes &lt;, &gt;
    /// and &amp;, so nothing from the request can end the script element.
    /// </summary>
    private static string Config(AppConfig app, string name, string? query, PlayerFiles files)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("stream", $"{app.Name}/{name}");
            json.WriteStartArray("outputs");
            foreach (var output in Outputs(app, name, query))
            {
                json.WriteStartObject();
                json.WriteString("id", output.Id);
                json.WriteString("label", output.Label);
                json.WriteString("player", output.Player);
                json.WriteString("url", output.Url);
                if (output.Type is not null)
                {
                    json.WriteString("type", output.Type);
                }
                if (output.LowLatency)
                {
                    json.WriteBoolean("lowLatency", true);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("scripts");
            WriteScript(json, files, "hls", "hls.min.js");
            WriteScript(json, files, "dash", "dash.all.min.js");
            WriteScript(json, files, "mpegts", "mpegts.js");
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteScript(Utf8JsonWriter json, PlayerFiles files, string player, string name)
    {
        files.TryGet(name, out var file);
        json.WriteString(player, $"{PlayerFiles.Prefix}{name}?v={file?.Version}");
    }
}
