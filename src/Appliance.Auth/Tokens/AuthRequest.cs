using System.Net;

namespace Appliance.Auth.Tokens;

/// <summary>
/// One request to check, as the session saw it. Every text field is hostile input, exactly as it
/// arrived (not percent-decoded), because the schemes hash what the signer put in the URL.
/// </summary>
public readonly struct AuthRequest
{
    public required AuthAction Action { get; init; }

    public required AuthProtocol Protocol { get; init; }

    public required string Domain { get; init; }

    public required string App { get; init; }

    /// <summary>The stream name alone (no app, no extension); stream-secret hashes it.</summary>
    public required string Stream { get; init; }

    /// <summary>
    /// The path without the query: RTMP "/{app}/{stream}", HTTP the requested path
    /// ("/{app}/{stream}.flv", "/{app}/{stream}.m3u8", a segment path, ...).
    /// </summary>
    public required string Path { get; init; }

    /// <summary>The raw query string without '?', or null.</summary>
    public string? Query { get; init; }

    /// <summary>The client, already resolved through trusted proxies (<see cref="AccessPolicy.ResolveClientIp"/>).</summary>
    public required IPAddress ClientIp { get; init; }

    public string? Referer { get; init; }
}
