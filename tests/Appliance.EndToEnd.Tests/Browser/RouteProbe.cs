using System.Net;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>Tells a playback route the daemon does not have yet from one that fails.</summary>
public static class RouteProbe
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>
    /// Skips the test when GET <paramref name="path"/> of a live stream gets the same 404 as a
    /// format the daemon certainly has no route for: the route is not implemented yet. Any other
    /// answer, a 404 of its own included ("stream not found", "playlist not ready"), lets the test
    /// run and judge it, so a route that exists but does not play still fails.
    /// </summary>
    public static async Task SkipUnlessServedAsync(DaemonProcess daemon, string path)
    {
        var (status, body) = await GetAsync(daemon.HttpUrl(path));
        if (status != HttpStatusCode.NotFound)
        {
            return;
        }
        var unrouted = Path.ChangeExtension(path, ".no-such-format");
        var (controlStatus, controlBody) = await GetAsync(daemon.HttpUrl(unrouted));
        if (controlStatus == HttpStatusCode.NotFound && controlBody == body)
        {
            throw new BrowserTestSkippedException($"route not implemented yet: GET /{path} answers 404 \"{body.Trim()}\", as /{unrouted} does, while the stream is live");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        // Headers only: a live route that works streams forever.
        using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        var body = response.StatusCode == HttpStatusCode.NotFound ? await response.Content.ReadAsStringAsync() : "";
        return (response.StatusCode, body);
    }
}
