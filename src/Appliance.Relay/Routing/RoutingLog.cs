using Microsoft.Extensions.Logging;

namespace Appliance.Relay.Routing;

/// <summary>The log lines of upstream routing, source-generated like <c>LiveLog</c>; event ids from 100 keep clear of it.</summary>
internal static partial class RoutingLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "upstream {Candidate} is down after {Failures} failures: {Reason} (retry in {RetryMs} ms)")]
    public static partial void CandidateDown(ILogger logger, string candidate, int failures, string reason, long retryMs);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "upstream {Candidate} answers again")]
    public static partial void CandidateUp(ILogger logger, string candidate);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "probe of upstream {Candidate} failed: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string candidate, string reason);
}
