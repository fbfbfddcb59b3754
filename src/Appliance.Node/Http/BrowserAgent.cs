namespace Appliance.Node.Http;

/// <summary>
/// Tells a web browser's request from a native player's by its User-Agent. Every browser's
/// starts "Mozilla/" (Chromium, Firefox, Safari, Edge, and the WebViews of apps); native
/// players send their own (ffmpeg and mpv "Lavf/", VLC "VLC/", GStreamer "GStreamer
/// souphttpsrc"). In a browser the stream is played by a script (mpegts.js, flv.js) that
/// buffers differently, so its live join gets its own burst.
/// </summary>
public static class BrowserAgent
{
    public static bool Is(string? userAgent) => userAgent is not null && userAgent.StartsWith("Mozilla/", StringComparison.Ordinal);
}
