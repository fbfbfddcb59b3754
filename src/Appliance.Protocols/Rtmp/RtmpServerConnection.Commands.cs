using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

// Commands: those that need no decision are answered here, the others become handler callbacks.
public sealed partial class RtmpServerConnection
{
    private const int MaxLoggedNameChars = 64;

    private bool _connected;

    private string? HandleCommand(ReadOnlySpan<byte> payload)
    {
        var command = RtmpCommand.Decode(payload);
        switch (command.Name)
        {
            case "connect":
                return Connect(command);
            case "createStream":
                SendCommand(0, "_result", command.TransactionId, Amf0Value.Null, Amf0Value.FromNumber(_options.StreamId));
                return null;
            case "getStreamLength":
                // Players (ffmpeg's rtmp client among them) read the answer as the stream's length in
                // seconds and warn on anything but a number; a live stream has none: 0.
                if (command.TransactionId > 0)
                {
                    SendCommand(0, "_result", command.TransactionId, Amf0Value.Null, Amf0Value.FromNumber(0));
                }
                return null;
            case "releaseStream":
            case "FCPublish":
            case "FCUnpublish":
                if (command.TransactionId > 0)
                {
                    SendCommand(0, "_result", command.TransactionId, Amf0Value.Null, Amf0Value.Undefined);
                }
                if (command.Name == "FCUnpublish")
                {
                    _handler.OnFCUnpublish(Argument(command, 0, Amf0Kind.String)?.String);
                }
                return null;
            case "publish":
                RequireConnect(command.Name);
                return Await(_handler.OnPublishAsync(new RtmpPublishRequest(command.TransactionId,
                    Argument(command, 0, Amf0Kind.String)?.String, Argument(command, 1, Amf0Kind.String)?.String)));
            case "play":
                RequireConnect(command.Name);
                return Await(_handler.OnPlayAsync(new RtmpPlayRequest(command.TransactionId,
                    Argument(command, 0, Amf0Kind.String)?.String,
                    Argument(command, 1, Amf0Kind.Number)?.Number ?? -2,
                    Argument(command, 2, Amf0Kind.Number)?.Number ?? -1,
                    Argument(command, 3, Amf0Kind.Boolean)?.Boolean ?? true)));
            case "pause":
                _handler.OnPause(Argument(command, 0, Amf0Kind.Boolean)?.Boolean ?? false, Argument(command, 1, Amf0Kind.Number)?.Number ?? 0);
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

    private string? Connect(RtmpCommandMessage command)
    {
        if (_connected)
        {
            throw new RtmpProtocolException("connect sent twice");
        }
        _connected = true;
        var properties = command.CommandObject;
        return Await(_handler.OnConnectAsync(new RtmpConnectRequest(command.TransactionId,
            properties?.GetString("app") ?? "", properties?.GetString("tcUrl"), properties?.GetString("pageUrl"),
            properties?.GetNumber("objectEncoding") ?? 0)));
    }

    private void RequireConnect(string command)
    {
        if (!_connected)
        {
            throw new RtmpProtocolException($"{command} before connect");
        }
    }

    /// <summary>Argument <paramref name="index"/> after the command object when it is of <paramref name="kind"/>, else null.</summary>
    private static Amf0Value? Argument(RtmpCommandMessage command, int index, Amf0Kind kind) =>
        command.Arguments.Count > index && command.Arguments[index].Kind == kind ? command.Arguments[index] : null;

    private static string Truncate(string value) => value.Length <= MaxLoggedNameChars ? value : value[..MaxLoggedNameChars] + "...";
}
