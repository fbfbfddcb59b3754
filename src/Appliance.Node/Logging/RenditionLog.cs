using Microsoft.Extensions.Logging;

namespace Appliance.Node.Logging;

/// <summary>The log lines of rendition groups: one when a rendition's alignment changes, not one per check.</summary>
internal static partial class RenditionLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Warning,
        Message = "rendition group {Group}: {Rendition} is not aligned with {Top} ({Packaging}: {Detail}); left out of the group's playlists and MPD until it is")]
    public static partial void Misaligned(ILogger logger, string group, string rendition, string top, string packaging, string detail);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information,
        Message = "rendition group {Group}: {Rendition} is aligned with {Top} again ({Packaging}); listed in the group")]
    public static partial void Realigned(ILogger logger, string group, string rendition, string top, string packaging);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "rendition {Stream}: its pull failed; its group goes on without it")]
    public static partial void PullFailed(ILogger logger, Exception exception, string stream);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "rendition groups: the alignment sweep failed; it runs again in 2 s")]
    public static partial void SweepFailed(ILogger logger, Exception exception);
}
