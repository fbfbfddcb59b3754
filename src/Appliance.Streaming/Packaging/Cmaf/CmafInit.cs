using System.Diagnostics.CodeAnalysis;
using Appliance.Codecs.Aac;
using Appliance.Codecs.Avc;
using Appliance.Codecs.Fmp4;
using Appliance.Codecs.Hevc;
using Appliance.Core.Buffers;
using Appliance.Transport.Files;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// One track configuration and its init segment, in a sealed in-memory file. Named by a hash of
/// its bytes, so every node gives the same configuration the same name, however many
/// configurations it has seen before.
/// </summary>
internal sealed class CmafInit
{
    public const uint VideoTrackId = 1;
    public const uint AudioTrackId = 2;

    private CmafInit(Fmp4Track track, string codecs, SharedFile file, uint id)
    {
        Track = track;
        Codecs = codecs;
        File = file;
        Id = id;
        Name = CmafName.InitFile(track.Kind, id);
    }

    public Fmp4Track Track { get; }

    /// <summary>The RFC 6381 codecs parameter (avc1.64001f, hvc1.1.6.L93.B0, mp4a.40.2).</summary>
    public string Codecs { get; }

    public SharedFile File { get; }

    public uint Id { get; }

    public string Name { get; }

    /// <summary>The init for a sequence header's configuration record; false with <paramref name="problem"/> when it is refused.</summary>
    public static bool TryCreate(Fmp4Codec codec, ReadOnlySpan<byte> record, [NotNullWhen(true)] out CmafInit? init, out string problem)
    {
        init = null;
        Fmp4Track? track;
        var made = codec switch
        {
            Fmp4Codec.Avc => Fmp4Track.TryCreateAvc(VideoTrackId, record, out track, out problem),
            Fmp4Codec.Hevc => Fmp4Track.TryCreateHevc(VideoTrackId, record, out track, out problem),
            _ => Fmp4Track.TryCreateAac(AudioTrackId, record, out track, out problem),
        };
        if (!made || track is null)
        {
            return false;
        }
        string codecs;
        var codecMade = codec switch
        {
            Fmp4Codec.Avc => AvcCodecString.TryCreate(record, out codecs, out problem),
            Fmp4Codec.Hevc => HevcCodecString.TryCreate(record, out codecs, out problem),
            _ => AacCodecString.TryCreate(record, out codecs, out problem),
        };
        if (!codecMade)
        {
            return false;
        }
        var bytes = Fmp4InitSegment.Create(track);
        using var writer = MemoryFileWriter.Create(CmafName.TrackName(track.Kind) + "-init");
        writer.Append(bytes);
        init = new CmafInit(track, codecs, writer.Complete(), Hash(bytes));
        return true;
    }

    /// <summary>The same configuration record, byte for byte (an encoder repeating its header).</summary>
    public bool IsSameConfiguration(ReadOnlySpan<byte> record) => Track.Configuration.Span.SequenceEqual(record);

    // FNV-1a: stable across processes and nodes (string.GetHashCode is randomized per process).
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash;
    }
}
