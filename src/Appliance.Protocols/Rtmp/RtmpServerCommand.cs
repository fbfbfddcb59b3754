using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// What the server reads of a command it receives: the name, the transaction id, connect's four
/// properties, and the first four arguments where they have the kind some command reads (a stream
/// name, play's start and duration, pause's flag). Everything else of the message is checked and
/// dropped. A struct, so a join's commands leave no garbage behind once they are answered.
/// </summary>
internal struct RtmpServerCommand
{
    public string Name;
    public double TransactionId;

    /// <summary>connect: the first "app", "tcUrl", "pageUrl" property of the command object when it is a string.</summary>
    public string? App;
    public string? TcUrl;
    public string? PageUrl;

    /// <summary>connect: the first "objectEncoding" property when it is a number.</summary>
    public double? ObjectEncoding;

    /// <summary>Argument 0 as a string, read for publish, play and FCUnpublish only (the others never use it).</summary>
    public string? String0;

    /// <summary>Argument 1 as a string, read for publish only.</summary>
    public string? String1;

    public bool? Boolean0;
    public double? Number1;
    public double? Number2;
    public bool? Boolean3;

    /// <summary>Whether the server uses argument <paramref name="index"/> of <paramref name="command"/> as a string.</summary>
    public static bool ReadsString(string command, int index) => command switch
    {
        "publish" => index <= 1,
        "play" or "FCUnpublish" => index == 0,
        _ => false,
    };

    /// <summary>The same fields from a fully decoded message: what the server did before it read commands in place.</summary>
    public static RtmpServerCommand From(RtmpCommandMessage message)
    {
        var command = new RtmpServerCommand { Name = message.Name, TransactionId = message.TransactionId };
        if (message.Name == "connect" && message.CommandObject is { } properties)
        {
            command.App = properties.GetString("app");
            command.TcUrl = properties.GetString("tcUrl");
            command.PageUrl = properties.GetString("pageUrl");
            command.ObjectEncoding = properties.GetNumber("objectEncoding");
        }
        var arguments = message.Arguments;
        if (ReadsString(message.Name, 0) && Argument(arguments, 0, Amf0Kind.String) is { } first)
        {
            command.String0 = first.String;
        }
        if (ReadsString(message.Name, 1) && Argument(arguments, 1, Amf0Kind.String) is { } second)
        {
            command.String1 = second.String;
        }
        command.Boolean0 = Argument(arguments, 0, Amf0Kind.Boolean)?.Boolean;
        command.Number1 = Argument(arguments, 1, Amf0Kind.Number)?.Number;
        command.Number2 = Argument(arguments, 2, Amf0Kind.Number)?.Number;
        command.Boolean3 = Argument(arguments, 3, Amf0Kind.Boolean)?.Boolean;
        return command;
    }

    private static Amf0Value? Argument(IReadOnlyList<Amf0Value> arguments, int index, Amf0Kind kind) =>
        arguments.Count > index && arguments[index].Kind == kind ? arguments[index] : null;
}
