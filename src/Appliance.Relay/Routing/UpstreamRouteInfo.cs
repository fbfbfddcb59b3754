namespace Appliance.Relay.Routing;

/// <summary>One row of the routes table (control socket <c>routes</c>, JSON endpoint): one candidate of one app.</summary>
/// <param name="Url">The canonical URL, which is also the candidate's identity.</param>
/// <param name="Protocol"><c>rtmp</c>, <c>http-flv</c> or <c>srt</c>.</param>
/// <param name="HealthUrl">Where it is probed; null when by TCP connect alone.</param>
/// <param name="Streams">Names of the app's streams this candidate currently feeds.</param>
/// <param name="FromDirectory">Not configured: the stream directory named it for the streams it feeds.</param>
public sealed record UpstreamRouteInfo(
    string Domain,
    string App,
    string Url,
    string Name,
    string Protocol,
    int Priority,
    int Weight,
    string? HealthUrl,
    CandidateHealthSnapshot Health,
    IReadOnlyList<string> Streams,
    bool FromDirectory = false);
