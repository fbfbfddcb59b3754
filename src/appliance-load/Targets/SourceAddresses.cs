using System.Net;
using System.Net.Sockets;

namespace Appliance.Load.Targets;

/// <summary>
/// Local IPv4 addresses the viewers' connections are made from, dealt out in turn
/// (--source-addresses). One address gives a connection's (source, destination) pair about
/// 28,000 ephemeral ports to choose from, and ports a closed connection left in TIME_WAIT are out
/// of use for a minute; tens of thousands of viewers of one port, run after run, need more source
/// addresses (any 127.x.y.z is this machine).
/// </summary>
internal sealed class SourceAddresses
{
    /// <summary>Most addresses one option may name.</summary>
    public const int MaxAddresses = 65_536;

    private readonly IPAddress[] _addresses;
    private int _next = -1;

    private SourceAddresses(IPAddress[] addresses) => _addresses = addresses;

    public int Count => _addresses.Length;

    public IPAddress Next() => _addresses[(int)((uint)Interlocked.Increment(ref _next) % (uint)_addresses.Length)];

    /// <summary>A comma-separated list of IPv4 addresses and ranges (127.0.0.2-127.0.0.9).</summary>
    public static bool TryParse(string text, out SourceAddresses addresses, out string problem)
    {
        addresses = null!;
        var list = new List<IPAddress>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var firstText = dash < 0 ? item : item[..dash];
            var lastText = dash < 0 ? item : item[(dash + 1)..];
            if (!TryParseV4(firstText, out var first) || !TryParseV4(lastText, out var last))
            {
                problem = $"'{item}' is not an IPv4 address or a range of them (127.0.0.2-127.0.0.9)";
                return false;
            }
            if (last < first)
            {
                problem = $"'{item}': the range ends before it starts";
                return false;
            }
            if ((ulong)last - first + 1 + (ulong)list.Count > MaxAddresses)
            {
                problem = $"more than {MaxAddresses} addresses";
                return false;
            }
            for (ulong a = first; a <= last; a++)
            {
                list.Add(new IPAddress(new[] { (byte)(a >> 24), (byte)(a >> 16), (byte)(a >> 8), (byte)a }));
            }
        }
        addresses = new SourceAddresses([.. list]);
        problem = "";
        return true;
    }

    private static bool TryParseV4(string text, out uint value)
    {
        value = 0;
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || text.Count(c => c == '.') != 3)
        {
            return false;
        }
        var bytes = address.GetAddressBytes();
        value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
        return true;
    }
}
