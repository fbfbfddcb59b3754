using System.Text;
using Appliance.Codecs.Amf0;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// Reads a command payload into an <see cref="RtmpServerCommand"/> in place: the name matched to a
/// known command without building a string, the fields the server uses taken as they pass, every
/// other value checked and skipped. A join's connect, createStream and play used to become trees
/// of AMF0 values (about 2 KB for a player's connect) that were garbage a moment later.
/// </summary>
/// <remarks>
/// Whatever this path does not take in stride (a malformed value, a name it does not know, a
/// command object that is not a plain object) goes to <see cref="RtmpCommand.Decode"/>, which
/// throws exactly as the server always did or decodes the unusual shape; the two paths give the
/// same fields, and the tests compare them.
/// </remarks>
internal static class RtmpServerCommandReader
{
    // The commands the server answers or acts on; each name is the one string instance the server compares.
    private static readonly string[] KnownNames =
    [
        "connect", "createStream", "getStreamLength", "releaseStream", "FCPublish", "FCUnpublish", "publish", "play",
        "pause", "deleteStream", "closeStream", "play2", "receiveAudio", "receiveVideo", "_checkbw", "_result", "_error",
        "onBWDone",
    ];

    /// <summary>The command, read in place where it can be, else decoded in full; throws <see cref="RtmpProtocolException"/> on a malformed one.</summary>
    public static RtmpServerCommand Read(ReadOnlySpan<byte> payload) =>
        TryRead(payload, out var command) ? command : RtmpServerCommand.From(RtmpCommand.Decode(payload));

    /// <summary>False when the payload needs the full decoder (to be refused with its reason, or for an unusual shape).</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out RtmpServerCommand command)
    {
        command = default;
        try
        {
            return TryReadCore(payload, ref command);
        }
        catch (Amf0FormatException)
        {
            command = default;
            return false;
        }
    }

    private static bool TryReadCore(ReadOnlySpan<byte> payload, ref RtmpServerCommand command)
    {
        // The name, the transaction id and the command object each count their values afresh, the
        // arguments together: as the full decoder's calls do.
        var cursor = new Amf0Cursor(payload, 0);
        if (!cursor.TryReadString(out var nameBytes) || Known(nameBytes) is not { } name || cursor.AtEnd)
        {
            return false;
        }
        cursor = new Amf0Cursor(payload, cursor.Offset);
        if (!cursor.TryReadNumber(out var transactionId))
        {
            return false;
        }
        command.Name = name;
        command.TransactionId = transactionId;
        if (cursor.AtEnd)
        {
            return true;
        }
        cursor = new Amf0Cursor(payload, cursor.Offset);
        if (name == "connect")
        {
            if (!TryReadConnectObject(ref cursor, ref command))
            {
                return false;
            }
        }
        else
        {
            cursor.SkipValue();
        }
        cursor = new Amf0Cursor(payload, cursor.Offset);
        for (var index = 0; !cursor.AtEnd; index++)
        {
            ReadArgument(ref cursor, ref command, index);
        }
        return true;
    }

    private static string? Known(ReadOnlySpan<byte> utf8)
    {
        foreach (var name in KnownNames)
        {
            if (utf8.Length == name.Length && Ascii.Equals(utf8, name))
            {
                return name;
            }
        }
        return null;
    }

    // Null or undefined means no properties, as does any value that is not object-like; an ECMA
    // array or typed object (object-like, but rare in a connect) goes to the full decoder.
    private static bool TryReadConnectObject(ref Amf0Cursor cursor, ref RtmpServerCommand command)
    {
        if (!cursor.TryEnterObject())
        {
            if (cursor.NextIsObjectLike)
            {
                return false;
            }
            cursor.SkipValue();
            return true;
        }
        bool app = false, tcUrl = false, pageUrl = false, objectEncoding = false;
        while (cursor.TryReadPropertyName(out var key))
        {
            // Only a key's first occurrence counts (a later duplicate is ignored, as the decoded object's lookup does).
            if (!app && key.SequenceEqual("app"u8))
            {
                app = true;
                command.App = ReadString(ref cursor);
            }
            else if (!tcUrl && key.SequenceEqual("tcUrl"u8))
            {
                tcUrl = true;
                command.TcUrl = ReadString(ref cursor);
            }
            else if (!pageUrl && key.SequenceEqual("pageUrl"u8))
            {
                pageUrl = true;
                command.PageUrl = ReadString(ref cursor);
            }
            else if (!objectEncoding && key.SequenceEqual("objectEncoding"u8))
            {
                objectEncoding = true;
                command.ObjectEncoding = cursor.TryReadNumber(out var number) ? number : SkipNull(ref cursor);
            }
            else
            {
                cursor.SkipValue();
            }
        }
        return true;
    }

    private static void ReadArgument(ref Amf0Cursor cursor, ref RtmpServerCommand command, int index)
    {
        if (index <= 1 && RtmpServerCommand.ReadsString(command.Name, index) && cursor.TryReadString(out var utf8))
        {
            var text = Decode(utf8);
            if (index == 0)
            {
                command.String0 = text;
            }
            else
            {
                command.String1 = text;
            }
            return;
        }
        if ((index == 0 || index == 3) && cursor.TryReadBoolean(out var flag))
        {
            if (index == 0)
            {
                command.Boolean0 = flag;
            }
            else
            {
                command.Boolean3 = flag;
            }
            return;
        }
        if ((index == 1 || index == 2) && cursor.TryReadNumber(out var number))
        {
            if (index == 1)
            {
                command.Number1 = number;
            }
            else
            {
                command.Number2 = number;
            }
            return;
        }
        cursor.SkipValue();
    }

    /// <summary>The property's value when it is a string, else null (skipped).</summary>
    private static string? ReadString(ref Amf0Cursor cursor)
    {
        if (cursor.TryReadString(out var utf8))
        {
            return Decode(utf8);
        }
        cursor.SkipValue();
        return null;
    }

    private static double? SkipNull(ref Amf0Cursor cursor)
    {
        cursor.SkipValue();
        return null;
    }

    // As the full decoder does: invalid UTF-8 becomes U+FFFD, and an empty string is the shared one.
    private static string Decode(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? string.Empty : Encoding.UTF8.GetString(utf8);
}
