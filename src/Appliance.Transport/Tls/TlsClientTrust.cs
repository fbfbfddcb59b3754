using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Transport.Tls;

/// <summary>
/// What an outbound TLS connection (a pull from a parent, a push to a target) accepts: a chain to
/// the system store or to the CAs of one file, the host name it dialled, a certificate in its
/// validity period, and, when pinned, a certificate whose public key (SubjectPublicKeyInfo) has
/// the pinned SHA-256. There is no way to skip any of these: a pin narrows the trust, never widens it.
/// </summary>
public sealed class TlsClientTrust
{
    /// <summary>The operating system's CA store, no pin.</summary>
    public static TlsClientTrust SystemStore { get; } = new(null, null, null);

    /// <param name="roots">The CAs a chain must end at; null for the system store.</param>
    /// <param name="caFile">Where <paramref name="roots"/> came from, for reasons and the identity.</param>
    /// <param name="pinSha256">SHA-256 of the certificate's SubjectPublicKeyInfo (32 bytes), or null.</param>
    public TlsClientTrust(X509Certificate2Collection? roots, string? caFile, byte[]? pinSha256)
    {
        if (pinSha256 is not null && pinSha256.Length != SHA256.HashSizeInBytes)
        {
            throw new ArgumentException("a SHA-256 pin is 32 bytes", nameof(pinSha256));
        }
        Roots = roots;
        CaFile = roots is null ? null : caFile;
        PinSha256 = pinSha256;
        Key = $"{CaFile ?? "system"}|{(pinSha256 is null ? "" : Convert.ToBase64String(pinSha256))}";
    }

    public X509Certificate2Collection? Roots { get; }

    /// <summary>The CA file of <see cref="Roots"/>; null for the system store.</summary>
    public string? CaFile { get; }

    public byte[]? PinSha256 { get; }

    /// <summary>Equal for trusts that accept the same certificates (CA file path and pin).</summary>
    public string Key { get; }

    /// <summary>The trust with the same roots and <paramref name="pinSha256"/> as its pin.</summary>
    public TlsClientTrust WithPin(byte[]? pinSha256) => new(Roots, CaFile, pinSha256);

    /// <summary>What the chain must end at, for reasons: "the CAs of /etc/x.pem" or "the system CA store".</summary>
    public string RootsText => CaFile is null ? "the system CA store" : $"the CAs of {CaFile}";

    /// <summary>SHA-256 of the certificate's SubjectPublicKeyInfo: what <see cref="PinSha256"/> is compared with.</summary>
    public static byte[] SpkiSha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }

    /// <summary>
    /// Reads a pin as written in the config: the base64 of the 32-byte SHA-256 (what
    /// <c>openssl ... | openssl dgst -sha256 -binary | base64</c> and curl's <c>sha256//</c> print),
    /// optionally prefixed "sha256//". Null when it is not one.
    /// </summary>
    public static byte[]? ParsePin(string? text)
    {
        if (text is null)
        {
            return null;
        }
        var value = text.StartsWith("sha256//", StringComparison.Ordinal) ? text["sha256//".Length..] : text;
        var bytes = new byte[SHA256.HashSizeInBytes + 3];
        return value.Length == 44 && Convert.TryFromBase64String(value, bytes, out var written) && written == SHA256.HashSizeInBytes
            ? bytes[..SHA256.HashSizeInBytes]
            : null;
    }
}
