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
}
