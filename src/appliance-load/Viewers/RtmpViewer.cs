using Appliance.Load.Targets;
using Appliance.Protocols.Rtmp;

namespace Appliance.Load.Viewers;

/// <summary>One RTMP player: connect, play, then read media until the run ends.</summary>
internal static class RtmpViewer
{
    public static async Task RunAsync(StreamUrl url, ViewerStats stats, CancellationToken runOver)
    {
        stats.OnStart();
        RtmpClient? client = null;
        string? error = null;
        try
        {
            var transport = await LoadConnector.ConnectAsync(url, runOver).ConfigureAwait(false);
            client = await RtmpClient.ConnectAsync(transport.Stream, url.App, url.TcUrl, runOver).ConfigureAwait(false);
            await client.PlayAsync(url.StreamName, runOver).ConfigureAwait(false);
            stats.OnPlaying();
            while (true)
            {
                var next = await client.ReadMediaAsync(runOver).ConfigureAwait(false);
                stats.Bytes = client.BytesReceived;
                if (next is not { } message)
                {
                    error = client.StreamEofReceived ? "stream ended (StreamEOF) and the server closed" : "the server closed the connection";
                    break;
                }
                var keyFrame = false;
                var videoFrame = message.TypeId == RtmpMessageType.Video
                    && VideoFrameCheck.IsCodedFrame(message.Payload.Span, out keyFrame);
                if (videoFrame)
                {
                    stats.Latency?.OnFrame(message.Payload.Span);
                }
                message.Payload.Release();
                stats.OnMedia(videoFrame, keyFrame);
            }
        }
        catch (OperationCanceledException) when (runOver.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = ErrorText.Of(e);
        }
        finally
        {
            if (client is not null)
            {
                stats.Bytes = client.BytesReceived;
                await client.DisposeAsync().ConfigureAwait(false);
            }
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }
}
