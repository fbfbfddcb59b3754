using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>The command API (/api/v1) of the real daemon, driven with its bearer token as an operator's tool would.</summary>
public sealed class AdminApiTests
{
    private const string Token = "e2e-admin-token-0123456789";
    private const string NextToken = "e2e-next-admin-token-9876543210";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static string AdminJson(string token) => $"\"admin\": {{ \"listen\": \"127.0.0.1:0\", \"token\": \"{token}\" }},";

    [Fact]
    public async Task Kick_through_the_API_ends_a_real_ffmpeg_viewer_and_nothing_else()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: AdminJson(Token));
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 30, Wait);
        // Asked to read for two minutes: only the kick can end it within the test's wait.
        await using var viewer = FfmpegPlayback.StartCopy(daemon.RtmpUrl("live/cam"), 120);
        var id = await WaitForViewerSessionAsync(daemon);

        var anonymous = await SendAsync(HttpMethod.Post, daemon.AdminUrl($"api/v1/sessions/{id}/kick"), token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.False(viewer.HasExited, "a kick without the token ended the viewer");
        var kick = await SendAsync(HttpMethod.Post, daemon.AdminUrl($"api/v1/sessions/{id}/kick"), Token);

        Assert.Equal(HttpStatusCode.OK, kick.Status);
        Assert.StartsWith($"session {id} (rtmp-play 127.0.0.1:", kick.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(await viewer.WaitForExitAsync(Wait), "the kicked ffmpeg viewer is still running");
        await daemon.WaitForLogAsync(l => l.Contains($"admin api: kick {id} from 127.0.0.1:", StringComparison.Ordinal), Wait);
        await daemon.WaitForLogAsync(l => l.Contains("reason=\"kicked by the operator\"", StringComparison.Ordinal), Wait);
        Assert.False(publisher.HasExited, "the publisher went with the kicked viewer");
        var again = await SendAsync(HttpMethod.Post, daemon.AdminUrl($"api/v1/sessions/{id}/kick"), Token);
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
    }

    [Fact]
    public async Task Reload_through_the_API_applies_a_good_file_and_its_new_token_and_refuses_a_broken_one()
    {
        await using var daemon = await DaemonProcess.StartAsync(rootJson: AdminJson(Token));
        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, extraAppsJson: "{ \"name\": \"sports\" }", rootJson: AdminJson(NextToken)));

        var reload = await SendAsync(HttpMethod.Post, daemon.AdminUrl("api/v1/reload"), Token);
        var oldToken = await SendAsync(HttpMethod.Get, daemon.AdminUrl("api/v1/streams"), Token);

        Assert.Equal(HttpStatusCode.OK, reload.Status);
        Assert.Equal($"reloaded {daemon.ConfigPath}", reload.Json.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, oldToken.Status);
        // The app the reload added takes a publisher, and the new token lists its stream.
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("sports/match"));
        await StreamApi.WaitForFramesAsync(daemon, "match", minFrames: 10, Wait);
        var streams = await SendAsync(HttpMethod.Get, daemon.AdminUrl("api/v1/streams"), NextToken);
        Assert.Equal(HttpStatusCode.OK, streams.Status);
        Assert.Equal(["default/sports/match"], streams.Json.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("key").GetString()));

        await File.WriteAllTextAsync(daemon.ConfigPath, DaemonProcess.ConfigText(daemon.ControlSocket, appJson: "\"publisherGraceMs\": -5", rootJson: AdminJson(NextToken)));
        var refused = await SendAsync(HttpMethod.Post, daemon.AdminUrl("api/v1/reload"), NextToken);

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.False(refused.Json.GetProperty("ok").GetBoolean());
        Assert.Contains("$.domains[0].apps[0].publisherGraceMs", refused.Json.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(publisher.HasExited);
    }

    /// <summary>The id of the one rtmp-play session, once the viewer's play has reached the node.</summary>
    private static async Task<long> WaitForViewerSessionAsync(DaemonProcess daemon)
    {
        var started = Environment.TickCount64;
        while (Environment.TickCount64 - started < Wait.TotalMilliseconds)
        {
            var sessions = await SendAsync(HttpMethod.Get, daemon.AdminUrl("api/v1/sessions?protocol=rtmp-play&stream=live/cam"), Token);
            Assert.Equal(HttpStatusCode.OK, sessions.Status);
            if (sessions.Json.GetProperty("sessions") is { } list && list.GetArrayLength() == 1)
            {
                return list[0].GetProperty("id").GetInt64();
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no rtmp-play session of live/cam within {Wait.TotalSeconds:F0}s:\n{string.Join('\n', daemon.Lines.TakeLast(40))}");
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpMethod method, string url, string? token)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await Http.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.Clone());
    }
}
