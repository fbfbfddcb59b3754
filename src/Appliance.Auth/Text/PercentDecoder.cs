namespace Appliance.Auth.Text;

/// <summary>
/// Turns a token as it sat in the URL into the bytes its signer hashed: "%2F" becomes '/', which a
/// token carried in a path element must escape. '+' stays '+' because signers do not mean a space by it.
/// </summary>
internal static class PercentDecoder
{
    /// <summary>
    /// Writes the decoded bytes; false for any non-ASCII character, which no URL-borne token has.
    /// The output is never longer than the input, so a destination of the input's length suffices.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c >= 0x80)
            {
                return false;
            }
            if (c == '%' && i + 2 < text.Length)
            {
                int high = TokenText.HexValue(text[i + 1]);
                int low = TokenText.HexValue(text[i + 2]);
                if (high >= 0 && low >= 0)
                {
                    destination[written++] = (byte)(high << 4 | low);
                    i += 2;
                    continue;
                }
            }
            destination[written++] = (byte)c;
        }
        return true;
    }
}
