using Appliance.Codecs.Flv;
using Appliance.Load.Cli;

namespace Appliance.Load.Publish;

/// <summary>
/// The stamped publisher of a run (--publish): loads the file, publishes, waits for the server's
/// Publish.Start and --viewers-after, and stops when the viewers are done.
/// </summary>
internal sealed class PublisherSession : IAsyncDisposable
{
    private static readonly TimeSpan PublishStartDeadline = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private StampedPublisher? _publisher;
    private Task<string?>? _running;

    private PublisherSession()
    {
    }

    /// <summary>Why it could not start (then the run does not), or null.</summary>
    public string? Failed { get; private set; }

    /// <summary>2: the file is unusable; 1: the server did not take the stream.</summary>
    public int ExitCode { get; private set; }

    /// <summary>Null without --publish; otherwise publishing (or <see cref="Failed"/>).</summary>
    public static async Task<PublisherSession?> StartAsync(LoadOptions options)
    {
        if (options.PublishUrl is not { } url)
        {
            return null;
        }
        var session = new PublisherSession();
        FlvSource source;
        try
        {
            source = FlvSource.Load(options.Source!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FlvFormatException or InvalidDataException)
        {
            session.Failed = $"--source {options.Source}: {e.Message}";
            session.ExitCode = 2;
            return session;
        }
        session._publisher = new StampedPublisher(url, source, options.PublishStartMs);
        session._running = session._publisher.RunAsync(session._stop.Token);
        try
        {
            await session._publisher.Publishing.WaitAsync(PublishStartDeadline).ConfigureAwait(false);
            await Task.Delay(options.ViewersAfter).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            session.Failed = $"publishing to {url.Text}: {(e is TimeoutException ? $"no NetStream.Publish.Start within {PublishStartDeadline.TotalSeconds:F0} s" : e.Message)}";
            session.ExitCode = 1;
        }
        return session;
    }

    /// <summary>No viewers: publishes for <paramref name="duration"/>; true (there is no hard cap to overrun).</summary>
    public async Task<bool> PublishOnlyAsync(TimeSpan duration)
    {
        await Task.WhenAny(_running!, Task.Delay(duration)).ConfigureAwait(false);
        return true;
    }

    /// <summary>Stops publishing; what it did.</summary>
    public async Task<PublisherFigures> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _running!.ConfigureAwait(false);
        return _publisher!.Figures;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_running is not null)
        {
            await _running.ConfigureAwait(false);
        }
        _stop.Dispose();
    }
}
