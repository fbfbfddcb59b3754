namespace Appliance.Streaming.Fanout;

public enum CollectResult
{
    /// <summary>Nothing more right now.</summary>
    Idle,

    /// <summary>The batch filled up; call again.</summary>
    More,

    /// <summary>The stream has ended and this viewer has everything.</summary>
    Ended,

    /// <summary>The viewer is too slow to be worth keeping.</summary>
    Hopeless,
}
