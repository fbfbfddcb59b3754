using Appliance.Load.Viewers;

namespace Appliance.Load.Report;

/// <summary>The MPEG-TS figures of a set of HTTP-TS or HLS viewers.</summary>
internal sealed class TsTally
{
    public int Viewers { get; private init; }

    public long Packets { get; private init; }

    public long SyncLosses { get; private init; }

    public long SkippedBytes { get; private init; }

    public long ContinuityErrors { get; private init; }

    public long AudioPes { get; private init; }

    /// <summary>Viewers that received TS packets but never a PAT and PMT they could read.</summary>
    public int WithoutPsi { get; private init; }

    public static TsTally? Of(IEnumerable<ViewerStats> viewers)
    {
        var count = 0;
        var withoutPsi = 0;
        long packets = 0, syncLosses = 0, skipped = 0, continuity = 0, audio = 0;
        foreach (var viewer in viewers)
        {
            if (viewer.Ts is not { } ts || viewer.State == ViewerState.NotStarted)
            {
                continue;
            }
            count++;
            packets += ts.Packets;
            syncLosses += ts.SyncLosses;
            skipped += ts.SkippedBytes;
            continuity += ts.ContinuityErrors;
            audio += ts.AudioPes;
            if (ts.Packets > 0 && !(ts.SawPat && ts.SawPmt))
            {
                withoutPsi++;
            }
        }
        return count == 0 ? null : new TsTally
        {
            Viewers = count,
            Packets = packets,
            SyncLosses = syncLosses,
            SkippedBytes = skipped,
            ContinuityErrors = continuity,
            AudioPes = audio,
            WithoutPsi = withoutPsi,
        };
    }
}
