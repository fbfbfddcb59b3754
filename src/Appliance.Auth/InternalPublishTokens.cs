using System.Net;
using System.Security.Cryptography;
using Appliance.Auth.Text;
using Appliance.Streaming.Streams;

namespace Appliance.Auth;

/// <summary>The verdict on a publish's internal credential: none carried, accepted, or refused and why.</summary>
public readonly record struct InternalPublishCheck(bool Carried, string? Refusal)
{
    public bool Accepted => Carried && Refusal is null;
}

/// <summary>
/// Credentials the node hands its own child processes (a transcoder publishing its rungs back
/// over loopback RTMP), in place of the app's publish auth, which a child cannot satisfy. Each is
/// random (256 bits), bound to one stream, good once and for a minute, and accepted only from
/// this host: a child's command line is readable by local users while it starts, so a credential
/// read there is worth at most the one rung it names, and only until the child uses it. The node
/// never logs one: the publish path carries it in the query, which no log line of it writes.
/// </summary>
public sealed class InternalPublishTokens(TimeProvider time)
{
    public const string ParameterName = "appliance_internal";

    private const int TokenBytes = 32;
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly Dictionary<StreamKey, (byte[] Token, DateTimeOffset Expiry)> _issued = [];

    /// <summary>A fresh credential for publishing <paramref name="key"/> once; replaces one issued before for it.</summary>
    public string Issue(StreamKey key)
    {
        var token = RandomNumberGenerator.GetBytes(TokenBytes);
        lock (_lock)
        {
            _issued[key] = (token, time.GetUtcNow() + Lifetime);
        }
        return Convert.ToHexStringLower(token);
    }

    /// <summary>Forgets the credential for <paramref name="key"/> (its child stopped before using it).</summary>
    public void Revoke(StreamKey key)
    {
        lock (_lock)
        {
            _issued.Remove(key);
        }
    }

    /// <summary>
    /// Checks a publish of <paramref name="key"/> whose query may carry an internal credential:
    /// accepted (and used up) when it is the one issued for the key, unexpired, and the peer is this
    /// host (loopback, or <paramref name="ownAddress"/>, the address the RTMP listener is bound to).
    /// </summary>
    public InternalPublishCheck Check(StreamKey key, string? query, IPAddress? peer, IPAddress? ownAddress = null)
    {
        if (!QueryParameter.TryGet(query, ParameterName, out var value))
        {
            return new(false, null);
        }
        if (!IsThisHost(peer, ownAddress))
        {
            return new(true, "an internal credential is accepted only from this host");
        }
        Span<byte> presented = stackalloc byte[TokenBytes];
        var wellFormed = value.Length == TokenBytes * 2 && Convert.FromHexString(value, presented, out _, out var written) == System.Buffers.OperationStatus.Done && written == TokenBytes;
        lock (_lock)
        {
            if (!wellFormed || !_issued.TryGetValue(key, out var issued) || !CryptographicOperations.FixedTimeEquals(issued.Token, presented))
            {
                return new(true, $"the internal credential is not the one issued for {key}");
            }
            _issued.Remove(key);
            if (issued.Expiry < time.GetUtcNow())
            {
                return new(true, $"the internal credential for {key} expired unused");
            }
        }
        return new(true, null);
    }

    private static bool IsThisHost(IPAddress? peer, IPAddress? ownAddress)
    {
        if (peer is null)
        {
            return false;
        }
        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }
        return IPAddress.IsLoopback(peer) || ownAddress is not null && !ownAddress.Equals(IPAddress.Any) && !ownAddress.Equals(IPAddress.IPv6Any) && peer.Equals(ownAddress);
    }
}
