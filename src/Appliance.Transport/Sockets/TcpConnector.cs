using System.Net;
using System.Net.Sockets;

namespace Appliance.Transport.Sockets;

/// <summary>
/// The node's one way out: every outbound TCP connection (pulls, pushes, route probes, the load
/// generator) is opened here, so the connect deadline, the socket options and the error text are
/// the same for all of them, and a different transport later changes this one place.
/// </summary>
/// <remarks>
/// A host is an IP literal (used as it is) or a name (resolved; its addresses are tried in the
/// resolver's order until one accepts, as "localhost" may be ::1 first with the server on
/// 127.0.0.1 only). Failures are <see cref="ConnectException"/>s naming host, port and cause; a
/// deadline that passes is one too ("timed out after N ms"). The caller's own cancellation
/// stays an <see cref="OperationCanceledException"/>. The stream owns its socket.
/// </remarks>
public sealed class TcpConnector
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    public TcpConnector()
        : this(Dns.GetHostAddressesAsync)
    {
    }

    /// <param name="resolve">Name lookup; tests hand in one that never answers or knows no name.</param>
    internal TcpConnector(Func<string, CancellationToken, Task<IPAddress[]>> resolve) => _resolve = resolve;

    /// <summary>The connector of a node that sets none of its own.</summary>
    public static TcpConnector Default { get; } = new();

    /// <summary>
    /// Resolves <paramref name="host"/> and connects to it, both within <paramref name="timeoutMs"/>
    /// (<see cref="Timeout.Infinite"/>: only <paramref name="ct"/> bounds it).
    /// </summary>
    public Task<NetworkStream> ConnectAsync(string host, int port, int timeoutMs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        Check(port, timeoutMs);
        return WithinAsync(host, port, timeoutMs, ct, async token =>
            await ConnectAnyAsync(await ResolveCoreAsync(host, port, token).ConfigureAwait(false), token).ConfigureAwait(false));
    }

    /// <summary>
    /// Only the name lookup, for a caller that times the connect apart from it (a probe's connect
    /// time is the path's, a slow resolver is not); bounded by <paramref name="ct"/>.
    /// </summary>
    public Task<ResolvedEndPoint> ResolveAsync(string host, int port, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        Check(port, Timeout.Infinite);
        return ResolveCoreAsync(host, port, ct);
    }

    /// <summary>Connects to the first of <paramref name="target"/>'s addresses that accepts, within <paramref name="timeoutMs"/>.</summary>
    public Task<NetworkStream> ConnectAsync(ResolvedEndPoint target, int timeoutMs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        Check(target.Port, timeoutMs);
        return WithinAsync(target.Host, target.Port, timeoutMs, ct, token => ConnectAnyAsync(target, token));
    }

    private static void Check(int port, int timeoutMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, IPEndPoint.MinPort + 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        if (timeoutMs != Timeout.Infinite)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeoutMs, 1);
        }
    }

    /// <summary>Runs <paramref name="work"/> under the deadline; the deadline passing becomes a timeout naming host and port.</summary>
    private static async Task<T> WithinAsync<T>(string host, int port, int timeoutMs, CancellationToken ct, Func<CancellationToken, Task<T>> work)
    {
        if (timeoutMs == Timeout.Infinite)
        {
            return await work(ct).ConfigureAwait(false);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeoutMs);
        try
        {
            return await work(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw ConnectException.TimedOut(host, port, timeoutMs);
        }
    }

    private async Task<ResolvedEndPoint> ResolveCoreAsync(string host, int port, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var literal))
        {
            return new ResolvedEndPoint(host, port, [literal]);
        }
        IPAddress[] addresses;
        try
        {
            // WaitAsync: a resolver that ignores cancellation still cannot hold the caller past its deadline.
            addresses = await _resolve(host, ct).WaitAsync(ct).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex is not ConnectException)
        {
            throw ConnectException.Failed(host, port, ex.SocketErrorCode);
        }
        return addresses.Length > 0
            ? new ResolvedEndPoint(host, port, addresses)
            : throw ConnectException.Failed(host, port, SocketError.HostNotFound);
    }

    private static async Task<NetworkStream> ConnectAnyAsync(ResolvedEndPoint target, CancellationToken ct)
    {
        var last = SocketError.HostNotFound;
        foreach (var address in target.Addresses)
        {
            Socket? socket = null;
            try
            {
                // Inside the try: a host without IPv6 fails here, and that address is just skipped.
                socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                TcpSocketOptions.Apply(socket);
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket?.Dispose();
                // The last cause is reported: with ::1 unreachable and 127.0.0.1 refusing, "refused" is the news.
                last = ex.SocketErrorCode;
            }
            catch
            {
                socket?.Dispose();
                throw;
            }
        }
        throw ConnectException.Failed(target.Host, target.Port, last);
    }
}
