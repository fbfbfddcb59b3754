using System.Text.Json;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>One daemon with ffmpeg publishing live/cam (640x360 H.264 + AAC, keyframe every second) for a whole test class.</summary>
public sealed class LivePublisherFixture : IAsyncLifetime
{
    public DaemonProcess Daemon { get; private set; } = null!;

    public ExternalProcess Publisher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync();
        Publisher = Ffmpeg.Publish(Daemon.RtmpUrl("live/cam"));
        await StreamApi.WaitForFramesAsync(Daemon, "cam", minFrames: 60, TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await Daemon.DisposeAsync();
    }
}

public static class StreamApi
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<JsonElement?> FindAsync(DaemonProcess daemon, string name)
    {
        var json = await Http.GetStringAsync(daemon.AdminUrl("api/streams"));
        using var doc = JsonDocument.Parse(json);
        foreach (var stream in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            if (stream.GetProperty("name").GetString() == name)
            {
                return stream.Clone();
            }
        }
        return null;
    }

    /// <summary>Waits until the stream is live and has taken in <paramref name="minFrames"/> frames.</summary>
    public static async Task WaitForFramesAsync(DaemonProcess daemon, string name, long minFrames, TimeSpan timeout)
    {
        var started = Environment.TickCount64;
        while (Environment.TickCount64 - started < timeout.TotalMilliseconds)
        {
            var stream = await FindAsync(daemon, name);
            if (stream is { } s && s.GetProperty("framesIn").GetInt64() >= minFrames)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"stream {name} did not reach {minFrames} frames in {timeout.TotalSeconds:F0}s. Log:\n{string.Join('\n', daemon.Lines.TakeLast(40))}");
    }

    /// <summary>Waits until the stream has been live for <paramref name="seconds"/> (its uptime at the node).</summary>
    public static async Task WaitForUptimeAsync(DaemonProcess daemon, string name, int seconds, TimeSpan timeout)
    {
        var started = Environment.TickCount64;
        while (Environment.TickCount64 - started < timeout.TotalMilliseconds)
        {
            if (await FindAsync(daemon, name) is { } s && s.GetProperty("uptimeSeconds").GetInt64() >= seconds)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"stream {name} was not live for {seconds} s within {timeout.TotalSeconds:F0}s");
    }
}
