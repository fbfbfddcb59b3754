using System.Buffers;
using Appliance.Core.Connections;

namespace Appliance.Protocols.Rtmp;

/// <summary>
/// A player's connection read without its pipe. Once a connection plays, its peer sends an
/// acknowledgement every few megabytes and little else, for hours; the pipe, its stream and its
/// pending read cost about 840 bytes per player for that. Where the transport allows it (a plain
/// TCP socket), the read loop gives the pipe up and waits on the socket itself, receiving into a
/// pooled buffer only while there is something to parse; the few bytes of a message cut short by
/// the network wait in an array of their own until the rest arrives.
/// </summary>
public sealed partial class RtmpServerConnection
{
    private const int RawReceiveBytes = 4096;

    private IConnection? _rawSource;
    private byte[]? _unread;

    /// <summary>
    /// From the read loop's next safe point on, reads <paramref name="connection"/> without its pipe
    /// when its transport can (<see cref="IConnection.HasRawInput"/>); otherwise nothing changes.
    /// For a connection that now only plays: call it once playing has started. Any thread.
    /// </summary>
    public void PreferRawInput(IConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Volatile.Write(ref _rawSource, connection);
    }

    /// <summary>Takes what the pipe holds unexamined and gives the pipe up; null (the pipe stays) when it cannot.</summary>
    private IRawInput? TrySwitchToRawInput()
    {
        var source = Volatile.Read(ref _rawSource)!;
        _rawSource = null;
        if (!source.HasRawInput)
        {
            return null;
        }
        var input = _input!;
        if (input.TryRead(out var held))
        {
            if (held.IsCompleted || held.IsCanceled)
            {
                // The peer is gone: the pipe loop ends the connection as it always has.
                input.AdvanceTo(held.Buffer.Start);
                return null;
            }
            _unread = held.Buffer.IsEmpty ? null : held.Buffer.ToArray();
            input.AdvanceTo(held.Buffer.End);
        }
        var raw = source.TakeRawInput();
        if (raw is not null)
        {
            // The completed pipe keeps its stream, segments and token source: let them go.
            _input = null;
        }
        return raw;
    }

    /// <summary>
    /// Parses what was left unread, with what has arrived after it when <paramref name="receive"/>;
    /// keeps what is left of an incomplete message for next time. <paramref name="closed"/>: the
    /// peer has closed.
    /// </summary>
    private string? ReceiveAndParse(IRawInput raw, bool receive, out bool closed)
    {
        var unread = _unread;
        int held = unread?.Length ?? 0;
        // Room at least as large as what is held, so a long message cut into many small reads is
        // copied a bounded number of times per byte, not once per read.
        var buffer = ArrayPool<byte>.Shared.Rent(held + (receive ? Math.Max(RawReceiveBytes, held) : 0));
        try
        {
            unread?.CopyTo(buffer, 0);
            int received = receive ? raw.Receive(buffer.AsSpan(held)) : 0;
            closed = receive && received == 0;
            var data = new ReadOnlySequence<byte>(buffer, 0, held + received);
            var consumed = ParseMessages(data, out var stop);
            var rest = data.Slice(consumed);
            _unread = rest.IsEmpty ? null : rest.ToArray();
            return stop;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
