using Appliance.Auth.Text;

namespace Appliance.Auth.Schemes;

/// <summary>
/// A decoded EdgeAuth token, <c>[ip=]~[st=]~exp=~[acl=]~[id=]~[data=]~hmac=</c>, its fields in
/// exactly that order, each at most once. Views into the caller's buffer; nothing is copied.
/// </summary>
internal ref struct HmacToken
{
    private const byte Separator = (byte)'~';

    public ReadOnlySpan<byte> Ip;
    public ReadOnlySpan<byte> Acl;
    public ReadOnlySpan<byte> Hmac;
    public long Start;
    public long Expiry;
    public bool HasIp;
    public bool HasStart;
    public bool HasAcl;

    /// <summary>The bytes the signer hashed: everything before "~hmac=".</summary>
    public ReadOnlySpan<byte> Signed;

    /// <summary>Where in <see cref="Signed"/> URL mode inserts "~url={path}": right after the exp field.</summary>
    public int UrlInsertAt;

    /// <summary>Null when the token parsed; otherwise why not, as fixed text.</summary>
    public static string? TryParse(ReadOnlySpan<byte> token, out HmacToken parsed)
    {
        parsed = default;
        int rank = -1;
        int offset = 0;
        bool hasExpiry = false;
        while (offset <= token.Length)
        {
            var rest = token[offset..];
            int end = rest.IndexOf(Separator);
            var field = end < 0 ? rest : rest[..end];
            int equals = field.IndexOf((byte)'=');
            if (equals <= 0)
            {
                return "token field without name=value";
            }
            var name = field[..equals];
            var value = field[(equals + 1)..];
            int fieldRank = Rank(name);
            if (fieldRank < 0)
            {
                return "unknown token field";
            }
            if (fieldRank <= rank)
            {
                return "token fields out of order or repeated";
            }
            rank = fieldRank;
            switch (fieldRank)
            {
                case 0:
                    parsed.Ip = value;
                    parsed.HasIp = true;
                    break;
                case 1:
                    if (!TokenText.TryParseDecimal(value, out parsed.Start))
                    {
                        return "st is not a number";
                    }
                    parsed.HasStart = true;
                    break;
                case 2:
                    if (!TokenText.TryParseDecimal(value, out parsed.Expiry))
                    {
                        return "exp is not a number";
                    }
                    hasExpiry = true;
                    parsed.UrlInsertAt = offset + field.Length;
                    break;
                case 3:
                    parsed.Acl = value;
                    parsed.HasAcl = true;
                    break;
                case 6:
                    if (end >= 0)
                    {
                        return "hmac is not the last field";
                    }
                    if (offset == 0)
                    {
                        return "token has nothing but hmac";
                    }
                    parsed.Hmac = value;
                    parsed.Signed = token[..(offset - 1)];
                    return hasExpiry ? null : "token has no exp";
            }
            if (end < 0)
            {
                break;
            }
            offset += end + 1;
        }
        return "token has no hmac";
    }

    // ip, st, exp, acl, id, data, hmac: the order the spec fixes for signing.
    private static int Rank(ReadOnlySpan<byte> name) => name switch
    {
        [(byte)'i', (byte)'p'] => 0,
        [(byte)'s', (byte)'t'] => 1,
        [(byte)'e', (byte)'x', (byte)'p'] => 2,
        [(byte)'a', (byte)'c', (byte)'l'] => 3,
        [(byte)'i', (byte)'d'] => 4,
        [(byte)'d', (byte)'a', (byte)'t', (byte)'a'] => 5,
        [(byte)'h', (byte)'m', (byte)'a', (byte)'c'] => 6,
        _ => -1,
    };
}
