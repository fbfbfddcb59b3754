namespace Appliance.Load.Viewers;

internal enum ViewerState
{
    /// <summary>The run ended before the ramp reached this viewer.</summary>
    NotStarted,
    Connecting,
    Playing,

    /// <summary>Never got to play: refused, unreachable, or a protocol error while setting up.</summary>
    Failed,

    /// <summary>Played, then lost the stream before the run ended.</summary>
    Dropped,

    /// <summary>Played until the run ended.</summary>
    Finished,
}
