using System.IO.Pipelines;
using System.Net;

namespace Appliance.Core.Connections;

/// <summary>
/// A byte stream to a peer as the protocol layers see it: a pipe to parse and a gather sink to
/// write. Sockets implement it in production; tests and benchmarks use in-memory pipes.
/// </summary>
public interface IConnection
{
    PipeReader Input { get; }

    IGatherSink Output { get; }

    IPEndPoint? RemoteEndPoint { get; }

    bool IsAborted { get; }

    /// <summary>Ends the connection from any thread; pending reads and writes fail.</summary>
    void Abort();

    /// <summary>
    /// For a connection that will parse nothing more (an HTTP viewer whose request became a
    /// stream): waits until the peer closes, discarding whatever it sends, and returns how many
    /// bytes that was. <see cref="Input"/> must not be read meanwhile or after, so a transport may
    /// give up its reader here and keep only what it needs to notice the close. Fails as a read
    /// does when the connection breaks or is aborted.
    /// </summary>
    Task<long> DiscardInputUntilClosedAsync() => PipeInput.DiscardUntilCompletedAsync(Input);

    /// <summary>Whether <see cref="TakeRawInput"/> gives a reader: a plain TCP socket does; TLS and in-memory pipes do not.</summary>
    bool HasRawInput => false;

    /// <summary>
    /// Gives up <see cref="Input"/> (the caller has taken everything it held) for a reader without a
    /// pipe; null when the transport has none (<see cref="HasRawInput"/> false), and Input stays.
    /// <see cref="Input"/> must not be read after a reader is returned.
    /// </summary>
    IRawInput? TakeRawInput() => null;
}
