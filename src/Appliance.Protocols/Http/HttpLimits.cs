namespace Appliance.Protocols.Http;

/// <summary>Bounds on a request head, checked before anything is allocated for it.</summary>
/// <remarks>
/// <c>new HttpLimits()</c> on a record struct yields zeros, not the defaults below. The parser
/// treats that all-zero value as <see cref="Default"/>; any other value is taken as given.
/// </remarks>
public readonly record struct HttpLimits(int MaxRequestLineBytes = 8192, int MaxHeaderBytes = 16384, int MaxHeaderCount = 64)
{
    public static HttpLimits Default => new(8192, 16384, 64);
}
