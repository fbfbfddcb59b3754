namespace Appliance.Codecs.Fmp4;

/// <summary>
/// The 32-bit sample_flags of trex and trun (ISO/IEC 14496-12 8.8.3.1): is_leading(2)
/// sample_depends_on(2) sample_is_depended_on(2) sample_has_redundancy(2) padding(3)
/// sample_is_non_sync_sample(1) degradation_priority(16).
/// </summary>
public static class Fmp4SampleFlags
{
    /// <summary>depends_on 2 (an I picture, or any audio frame), non-sync 0.</summary>
    public const uint Sync = 0x0200_0000;

    /// <summary>depends_on 1 (predicted from other pictures), non-sync 1.</summary>
    public const uint NonSync = 0x0101_0000;

    public static uint Of(bool isSync) => isSync ? Sync : NonSync;

    /// <summary>
    /// What trex says for samples whose trun carries no flags: every audio frame is a sync
    /// sample; video fragments always carry per-sample flags, and a stray one is non-sync.
    /// </summary>
    public static uint Default(Fmp4TrackKind kind) => kind == Fmp4TrackKind.Audio ? Sync : NonSync;
}
