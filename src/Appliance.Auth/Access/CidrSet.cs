using System.Buffers.Binary;
using System.Net;

namespace Appliance.Auth.Access;

/// <summary>
/// A set of IPv4 and IPv6 networks ("10.0.0.0/8", "2001:db8::/32", or a bare address), matched by
/// masking the raw address bytes: no allocation per lookup. Host bits after the prefix are
/// ignored, as admins often write "192.168.1.7/24" for their LAN.
/// </summary>
public sealed class CidrSet
{
    private readonly uint[] _v4Networks;
    private readonly uint[] _v4Masks;
    private readonly UInt128[] _v6Networks;
    private readonly UInt128[] _v6Masks;

    private CidrSet(List<(uint Network, uint Mask)> v4, List<(UInt128 Network, UInt128 Mask)> v6)
    {
        _v4Networks = v4.Select(n => n.Network).ToArray();
        _v4Masks = v4.Select(n => n.Mask).ToArray();
        _v6Networks = v6.Select(n => n.Network).ToArray();
        _v6Masks = v6.Select(n => n.Mask).ToArray();
    }

    public static CidrSet Empty { get; } = new([], []);

    public bool IsEmpty => _v4Networks.Length == 0 && _v6Networks.Length == 0;

    /// <summary>Builds the set; throws FormatException naming the first entry that is not a CIDR (validation reports it first).</summary>
    public static CidrSet Parse(IEnumerable<string>? cidrs)
    {
        var v4 = new List<(uint, uint)>();
        var v6 = new List<(UInt128, UInt128)>();
        foreach (var text in cidrs ?? [])
        {
            if (!TryParse(text, out var network))
            {
                throw new FormatException($"'{text}' is not a CIDR");
            }
            if (network.IsV4)
            {
                v4.Add(((uint)network.Network, (uint)network.Mask));
            }
            else
            {
                v6.Add((network.Network, network.Mask));
            }
        }
        return v4.Count == 0 && v6.Count == 0 ? Empty : new CidrSet(v4, v6);
    }

    public static bool IsValid(string? text) => TryParse(text, out _);

    public bool Contains(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[IpBytes.MaxBytes];
        int length = IpBytes.Write(address, bytes);
        if (length == 4)
        {
            uint value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            for (int i = 0; i < _v4Networks.Length; i++)
            {
                if ((value & _v4Masks[i]) == _v4Networks[i])
                {
                    return true;
                }
            }
        }
        else if (length == 16)
        {
            UInt128 value = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            for (int i = 0; i < _v6Networks.Length; i++)
            {
                if ((value & _v6Masks[i]) == _v6Networks[i])
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool TryParse(string? text, out (bool IsV4, UInt128 Network, UInt128 Mask) network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 64)
        {
            return false;
        }
        var span = text.AsSpan().Trim();
        int slash = span.IndexOf('/');
        var addressText = slash < 0 ? span : span[..slash];
        // IPAddress.TryParse also takes "10.1" and "167772161"; a network list must be spelled out.
        if (addressText.IndexOf(':') < 0 && addressText.Count('.') != 3 || !IPAddress.TryParse(addressText, out var address))
        {
            return false;
        }
        Span<byte> bytes = stackalloc byte[IpBytes.MaxBytes];
        int length = IpBytes.Write(address, bytes);
        int width = length * 8;
        int prefix = width;
        if (slash >= 0 && (!int.TryParse(span[(slash + 1)..], System.Globalization.NumberStyles.None, null, out prefix) || prefix > 128))
        {
            return false;
        }
        // "::ffff:10.0.0.0/104" is an IPv4 network written as IPv6, and IpBytes reports it as IPv4.
        if (length == 4 && address.IsIPv4MappedToIPv6 && slash >= 0)
        {
            prefix -= 96;
        }
        if (prefix < 0 || prefix > width)
        {
            return false;
        }
        if (length == 4)
        {
            uint mask = prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);
            network = (true, BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask);
        }
        else
        {
            UInt128 mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
            network = (false, BinaryPrimitives.ReadUInt128BigEndian(bytes) & mask, mask);
        }
        return true;
    }
}
