using System.Security.Cryptography;
using System.Text;

namespace Appliance.Node.Admin;

/// <summary>The command API's bearer token check (RFC 6750 header form only: a token in a URL ends up in logs).</summary>
internal static class AdminToken
{
    public enum Verdict
    {
        Accepted,

        /// <summary>No Authorization header, or one of another scheme.</summary>
        Missing,

        Wrong,
    }

    /// <param name="authorization">The request's Authorization header, or null.</param>
    /// <param name="expected">admin.token; not empty.</param>
    public static Verdict Check(string? authorization, string expected)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Verdict.Missing;
        }
        var presented = authorization.AsSpan(Scheme.Length).Trim(' ');
        return Matches(presented, expected) ? Verdict.Accepted : Verdict.Wrong;
    }

    /// <summary>
    /// Compares digests, not the texts: FixedTimeEquals returns at once on a length difference,
    /// which would tell a guesser the token's length; equal-length hashes tell nothing.
    /// </summary>
    private static bool Matches(ReadOnlySpan<char> presented, string expected)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }
}
