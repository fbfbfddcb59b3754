using Appliance.EndToEnd.Tests.Infrastructure;

namespace Appliance.EndToEnd.Tests.Operations;

/// <summary>One access line per finished session in the configured file; SIGUSR1 reopens it after a rotation.</summary>
public sealed class AccessLogTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly System.Net.Http.HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-e2e-access-").FullName;

    [Fact]
    public async Task Sessions_are_written_to_the_file_and_sigusr1_reopens_it_after_logrotate_moved_it()
    {
        var path = Path.Combine(_directory, "access.log");
        await using var daemon = await DaemonProcess.StartAsync(rootJson: $"\"log\": {{ \"level\": \"debug\", \"accessFile\": \"{path}\" }},");
        await using var publisher = Ffmpeg.Publish(daemon.RtmpUrl("live/cam"), seconds: 2);
        await StreamApi.WaitForFramesAsync(daemon, "cam", minFrames: 10, Wait);
        Assert.True(await publisher.WaitForExitAsync(Wait));

        var first = await WaitForLineAsync(path, "proto=rtmp-publish");
        File.Move(path, path + ".1");
        await daemon.SignalAsync("USR1");
        await daemon.WaitForLogAsync(l => l.Contains("SIGUSR1", StringComparison.Ordinal), Wait);
        using (await Http.GetAsync(daemon.HttpUrl("live/none.flv")))
        {
        }
        var second = await WaitForLineAsync(path, "stream=default/live/none status=404");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z proto=rtmp-publish client=127\.0\.0\.1:\d+ stream=default/live/cam status=ok in=\d+ out=\d+ duration=\d+\.\ds reason=""", first);
        Assert.Contains("proto=http", second, StringComparison.Ordinal);
        Assert.DoesNotContain("status=404", await File.ReadAllTextAsync(path + ".1"), StringComparison.Ordinal);
        Assert.False(daemon.HasLog(l => l.Contains("access proto=", StringComparison.Ordinal)), "access lines also went to the console");
    }

    private static async Task<string> WaitForLineAsync(string path, string containing)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                var line = (await File.ReadAllLinesAsync(path)).FirstOrDefault(l => l.Contains(containing, StringComparison.Ordinal));
                if (line is not null)
                {
                    return line;
                }
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no line with '{containing}' in {path}");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
