namespace Appliance.Auth.Schemes;

/// <summary>
/// EdgeAuth ACLs: patterns joined by '!', where '*' matches any run of characters ('/' included)
/// and '?' exactly one. Runs only after the signature is verified, so the patterns are the
/// customer's, not an attacker's; the matcher is still linear-space and never recursive.
/// </summary>
internal static class AclPattern
{
    public static bool MatchesAny(ReadOnlySpan<byte> acl, ReadOnlySpan<char> path)
    {
        while (true)
        {
            int bang = acl.IndexOf((byte)'!');
            var pattern = bang < 0 ? acl : acl[..bang];
            if (!pattern.IsEmpty && Matches(pattern, path))
            {
                return true;
            }
            if (bang < 0)
            {
                return false;
            }
            acl = acl[(bang + 1)..];
        }
    }

    /// <summary>Glob match that backtracks only to the last '*', the usual greedy wildcard algorithm.</summary>
    public static bool Matches(ReadOnlySpan<byte> pattern, ReadOnlySpan<char> text)
    {
        int p = 0;
        int t = 0;
        int star = -1;
        int starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starText = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
