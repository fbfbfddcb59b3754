namespace Appliance.Codecs.Hls;

/// <summary>An audio rendition (EXT-X-MEDIA TYPE=AUDIO) in group <paramref name="GroupId"/>, with its own media playlist.</summary>
public sealed record HlsAudioRendition(string GroupId, string Name, string Uri)
{
    /// <summary>RFC 5646 tag, or null to leave LANGUAGE out.</summary>
    public string? Language { get; init; }

    /// <summary>DEFAULT=YES (and so AUTOSELECT=YES, which DEFAULT requires).</summary>
    public bool Default { get; init; } = true;

    /// <summary>The channel count for CHANNELS; 0 leaves it out.</summary>
    public int Channels { get; init; }
}
