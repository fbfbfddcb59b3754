using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Appliance.Load.Targets;
using Appliance.Load.Viewers.Ts;
using Appliance.Protocols.Http;
using Appliance.Transport.Sockets;

namespace Appliance.Load.Viewers;

/// <summary>A live HTTP body, read as it arrives.</summary>
internal interface ILiveBody
{
    /// <summary>Consumes what <paramref name="reader"/> holds; true once a chunked body has ended.</summary>
    bool Consume(ref SequenceReader<byte> reader, ViewerStats stats);
}

/// <summary>
/// One HTTP-FLV or HTTP-TS player: one TCP connection, one GET, then FLV tags or TS packets until the
/// run ends.
/// </summary>
internal static class HttpLiveViewer
{
    private static readonly StreamPipeReaderOptions ReadOptions = new(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true);

    public static async Task RunAsync(StreamUrl url, byte[] request, ViewerStats stats, CancellationToken runOver)
    {
        stats.OnStart();
        string? error = null;
        LoadConnection? connection = null;
        PipeReader? input = null;
        try
        {
            connection = await LoadConnector.ConnectAsync(url, runOver).ConfigureAwait(false);
            await connection.Value.Stream.WriteAsync(request, runOver).ConfigureAwait(false);
            input = PipeReader.Create(connection.Value.Stream, ReadOptions);
            error = await ReadResponseAsync(input, stats, runOver).ConfigureAwait(false);
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
            connection?.Tcp.Socket.Dispose();
            if (input is not null)
            {
                await input.CompleteAsync().ConfigureAwait(false);
            }
            if (connection is { } opened)
            {
                await opened.Stream.DisposeAsync().ConfigureAwait(false);
            }
            stats.OnEnd(error, runOver.IsCancellationRequested);
        }
    }

    /// <summary>Reads the response head, then the body as FLV; returns why it stopped before the run did.</summary>
    private static async Task<string> ReadResponseAsync(PipeReader input, ViewerStats stats, CancellationToken runOver)
    {
        HttpResponseHead? head = null;
        ILiveBody? tags = null;
        long carried = 0;
        while (true)
        {
            var result = await input.ReadAsync(runOver).ConfigureAwait(false);
            var buffer = result.Buffer;
            // Measured before AdvanceTo: after it the pipe may recycle the buffer's segments.
            var length = buffer.Length;
            stats.AddBytes(length - carried);
            var reader = new SequenceReader<byte>(buffer);
            if (head is null)
            {
                switch (HttpResponseParser.TryParse(ref reader, out head))
                {
                    case HttpParseStatus.Error:
                        return "malformed HTTP response head";
                    case HttpParseStatus.Complete when head!.Status != 200:
                        return $"HTTP {head.Status} {head.Reason}";
                    case HttpParseStatus.Complete:
                        stats.OnPlaying();
                        tags = stats.Ts is { } ts ? new TsLiveBody(ts, head.IsChunked) : new FlvTagCounter(head.IsChunked);
                        break;
                }
            }
            var bodyDone = tags is not null && tags.Consume(ref reader, stats);
            carried = length - reader.Consumed;
            input.AdvanceTo(reader.Position, buffer.End);
            if (bodyDone)
            {
                return "the response body ended";
            }
            if (result.IsCompleted)
            {
                return head is null ? "the server closed before the response head" : "the server closed the connection";
            }
        }
    }
}
