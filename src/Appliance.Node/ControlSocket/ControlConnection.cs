using System.Buffers;
using System.Net.Sockets;
using System.Text.Json;
using Appliance.Control.Contract;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.ControlSocket;

/// <summary>One control client: reads request lines, answers each in order, closes on abuse.</summary>
internal sealed class ControlConnection(Socket socket, ControlCommands commands, ILogger logger, ControlConnectionLimits limits)
{
    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ControlProtocol.MaxRequestBytes + 1);
        try
        {
            var filled = 0;
            while (true)
            {
                int read;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stop))
                {
                    idle.CancelAfter(limits.IdleMs);
                    read = await socket.ReceiveAsync(buffer.AsMemory(filled, ControlProtocol.MaxRequestBytes + 1 - filled), SocketFlags.None, idle.Token).ConfigureAwait(false);
                }
                if (read == 0)
                {
                    return;
                }
                var scanFrom = filled;
                filled += read;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, filled - scanFrom)) >= 0)
                {
                    var line = buffer.AsMemory(0, newline);
                    if (!await AnswerAsync(line, stop).ConfigureAwait(false))
                    {
                        return;
                    }
                    var rest = filled - newline - 1;
                    Buffer.BlockCopy(buffer, newline + 1, buffer, 0, rest);
                    filled = rest;
                    scanFrom = 0;
                }
                if (filled > ControlProtocol.MaxRequestBytes)
                {
                    logger.LogWarning("control socket: request line longer than {Max} bytes; closing", ControlProtocol.MaxRequestBytes);
                    await ReplyAsync(ControlReply.Failure($"request line longer than {ControlProtocol.MaxRequestBytes} bytes"), stop).ConfigureAwait(false);
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Answers one line; false when the connection must end (the reply could not be delivered).</summary>
    private async Task<bool> AnswerAsync(ReadOnlyMemory<byte> line, CancellationToken stop)
    {
        var text = line.Span.TrimEnd((byte)'\r').Trim((byte)' ');
        if (text.IsEmpty)
        {
            return true;
        }
        ControlReply reply;
        try
        {
            var request = JsonSerializer.Deserialize(text, ControlJsonContext.Default.ControlRequest);
            reply = request is null ? ControlReply.Failure("the request must be a JSON object") : commands.Execute(request);
            if (request is not null && request.Command is not ("status" or "streams" or "sessions" or "config" or "routes"))
            {
                logger.LogInformation("control: {Command} -> {Outcome}", request.Command, reply.Ok ? reply.Message ?? "ok" : reply.Error);
            }
        }
        catch (JsonException ex)
        {
            var cut = ex.Message.IndexOf(" Path:", StringComparison.Ordinal);
            reply = ControlReply.Failure($"malformed request: {(cut > 0 ? ex.Message[..cut] : ex.Message)}");
            logger.LogWarning("control socket: malformed request: {Problem}", reply.Error);
        }
        return await ReplyAsync(reply, stop).ConfigureAwait(false);
    }

    private async Task<bool> ReplyAsync(ControlReply reply, CancellationToken stop)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply, ControlJsonContext.Default.ControlReply);
        var framed = new byte[bytes.Length + 1];
        bytes.CopyTo(framed, 0);
        framed[^1] = (byte)'\n';
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(limits.ReplyMs);
        try
        {
            var sent = 0;
            while (sent < framed.Length)
            {
                sent += await socket.SendAsync(framed.AsMemory(sent), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("control socket: a client did not read its reply within {Ms} ms; closing", limits.ReplyMs);
            return false;
        }
    }

}
