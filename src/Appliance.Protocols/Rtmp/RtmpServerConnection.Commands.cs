namespace Appliance.Protocols.Rtmp;

// Commands: those that need no decision are answered here, the others become handler callbacks.
public sealed partial class RtmpServerConnection
{
    private const int MaxLoggedNameChars = 64;

    private bool _connected;

    private string? HandleCommand(ReadOnlySpan<byte> payload)
    {
        var command = RtmpServerCommandReader.Read(payload);
        switch (command.Name)
        {
            case "connect":
                return Connect(command);
            case "createStream":
                SendResult(command.TransactionId, _options.StreamId);
                return null;
            case "getStreamLength":
                // Players (ffmpeg's rtmp client among them) read the answer as the stream's length in
                // seconds and warn on anything but a number; a live stream has none: 0.
                if (command.TransactionId > 0)
                {
                    SendResult(command.TransactionId, 0);
                }
                return null;
            case "releaseStream":
            case "FCPublish":
            case "FCUnpublish":
                if (command.TransactionId > 0)
                {
                    SendUndefinedResult(command.TransactionId);
                }
                if (command.Name == "FCUnpublish")
                {
                    _handler.OnFCUnpublish(command.String0);
                }
                return null;
            case "publish":
                RequireConnect(command.Name);
                return Await(_handler.OnPublishAsync(new RtmpPublishRequest(command.TransactionId, command.String0, command.String1)));
            case "play":
                RequireConnect(command.Name);
                return Await(_handler.OnPlayAsync(new RtmpPlayRequest(command.TransactionId,
                    command.String0, command.Number1 ?? -2, command.Number2 ?? -1, command.Boolean3 ?? true)));
            case "pause":
                _handler.OnPause(command.Boolean0 ?? false, command.Number1 ?? 0);
                return null;
            case "deleteStream":
            case "closeStream":
                _handler.OnDeleteStream(command.Name);
                return null;
            case "play2":
            case "receiveAudio":
            case "receiveVideo":
            case "_checkbw":
            case "_result":
            case "_error":
            case "onBWDone":
                _handler.OnIgnored($"command {command.Name}");
                return null;
            default:
                _handler.OnIgnored($"unknown command {Truncate(command.Name)}");
                return null;
        }
    }

    private string? Connect(in RtmpServerCommand command)
    {
        if (_connected)
        {
            throw new RtmpProtocolException("connect sent twice");
        }
        _connected = true;
        return Await(_handler.OnConnectAsync(new RtmpConnectRequest(command.TransactionId,
            command.App ?? "", command.TcUrl, command.PageUrl, command.ObjectEncoding ?? 0)));
    }

    private void RequireConnect(string command)
    {
        if (!_connected)
        {
            throw new RtmpProtocolException($"{command} before connect");
        }
    }

    private static string Truncate(string value) => value.Length <= MaxLoggedNameChars ? value : value[..MaxLoggedNameChars] + "...";
}
