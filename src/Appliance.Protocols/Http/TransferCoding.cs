using System.Text;

namespace Appliance.Protocols.Http;

/// <summary>
/// Tracks Transfer-Encoding across one or more header lines. Only a list whose final coding is
/// "chunked" (and which names chunked once) gives a body length we can trust (RFC 9112 §6.3).
/// </summary>
internal struct TransferCoding
{
    public bool Present { get; private set; }

    public bool ChunkedLast { get; private set; }

    /// <returns>False when a coding follows "chunked", which makes the framing ambiguous.</returns>
    public bool Add(ReadOnlySpan<byte> value)
    {
        Present = true;
        while (!value.IsEmpty)
        {
            int comma = value.IndexOf((byte)',');
            var coding = HttpCharacters.TrimOws(comma < 0 ? value : value[..comma]);
            value = comma < 0 ? default : value[(comma + 1)..];
            if (coding.IsEmpty)
            {
                continue;
            }
            if (ChunkedLast)
            {
                return false;
            }
            ChunkedLast = Ascii.EqualsIgnoreCase(coding, "chunked"u8);
        }
        return true;
    }
}
