using Appliance.Codecs.Fmp4;
using Appliance.Core.Buffers;
using Appliance.Streaming.Media;
using Appliance.Transport.Files;

namespace Appliance.Streaming.Packaging.Cmaf;

/// <summary>
/// One track's segment in progress: frames wait until the part rule (<see cref="PartRule"/>)
/// closes a part, which becomes one fMP4 fragment in a pooled buffer (served while the segment
/// grows) and is appended to the segment's in-memory file; the file is sealed when the segment
/// completes, and its parts are then served as ranges of it. Times are the stream's milliseconds,
/// converted to the track's timescale from the absolute value each time, so nothing drifts.
/// The stream's lock guards it.
/// </summary>
internal sealed class CmafTrack
{
    // A part this big closes whatever the timestamps say (a source that stamps every frame alike):
    // far above any real part, and far below what a fragment's 32-bit sizes hold.
    private const int MaxPartSamples = 1024;
    private const long MaxPartBytes = 256L * 1024 * 1024;

    private readonly long _partTargetMs;
    private readonly List<CmafPart> _parts = [];
    private PendingSample[] _pending = new PendingSample[64];
    private Fmp4Sample[] _samples = new Fmp4Sample[64];
    private int _pendingCount;
    private long _pendingBytes;
    private MemoryFileWriter? _file;
    private long _fileLength;
    private long _lastMs = long.MinValue;
    private long _lastDurationMs;

    public CmafTrack(Fmp4TrackKind kind, long partTargetMs, CmafWindow window)
    {
        Kind = kind;
        _partTargetMs = partTargetMs;
        Window = window;
    }

    public Fmp4TrackKind Kind { get; }

    public CmafWindow Window { get; }

    /// <summary>The configuration new segments use; null until a valid sequence header.</summary>
    public CmafInit? Init { get; set; }

    public bool IsOpen => _file is not null;

    /// <summary>The number of the segment in progress, or of the last one (the next is one more).</summary>
    public long Number { get; private set; } = -1;

    public long StartMs { get; private set; }

    public bool Discontinuity { get; private set; }

    /// <summary>The timeline broke: the next segment starts with a discontinuity.</summary>
    public bool BreakPending { get; set; }

    public CmafEpoch? Epoch { get; private set; }

    /// <summary>The init of the segment in progress.</summary>
    public CmafInit? SegmentInit { get; private set; }

    /// <summary>The parts of the segment in progress so far (none between segments).</summary>
    public IReadOnlyList<CmafPart> Parts => _parts;

    /// <summary>Where the newest frame ends if nothing follows it: the frame before's duration after it, or one frame time.</summary>
    public long EstimatedEndMs => _lastMs + (_lastDurationMs > 0 ? _lastDurationMs : DefaultFrameMs);

    // 25 fps video; one AAC frame (1024 samples) of the track's rate.
    private long DefaultFrameMs => Kind == Fmp4TrackKind.Video ? 40 : Math.Max(1, 1024_000 / Math.Max(1, SegmentInit?.Track.SampleRate ?? 44_100));

    /// <summary>Opens segment <paramref name="number"/>, whose first frame is at <paramref name="atMs"/>.</summary>
    public void Start(long number, long atMs, bool discontinuity, CmafEpoch epoch)
    {
        if (discontinuity)
        {
            // A new timeline may start before the old one ended (a jump back): no clamping to the old times.
            _lastMs = long.MinValue;
            _lastDurationMs = 0;
        }
        Number = number;
        StartMs = atMs;
        Discontinuity = discontinuity;
        Epoch = epoch;
        SegmentInit = Init;
        _parts.Clear();
        _fileLength = 0;
        _file = MemoryFileWriter.Create(CmafName.SegmentFile(Kind, number));
    }

    /// <summary>Adds a frame to the segment in progress; true when it closed one or more parts.</summary>
    public bool Add(MediaFrame frame, int bodyOffset, int compositionMs, bool sync)
    {
        var at = Math.Max(frame.Timestamp, _lastMs);
        if (_lastMs != long.MinValue)
        {
            _lastDurationMs = at - _lastMs;
        }
        _lastMs = at;
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pending.Length * 2);
            Array.Resize(ref _samples, _samples.Length * 2);
        }
        _pending[_pendingCount++] = new PendingSample
        {
            Frame = frame.AddRef(),
            BodyOffset = bodyOffset,
            Size = frame.Payload.Length - bodyOffset,
            Ms = at,
            CompositionMs = compositionMs,
            Sync = sync,
        };
        _pendingBytes += _pending[_pendingCount - 1].Size;
        var before = _parts.Count;
        while (PartRule.NextPartLength(_pending.AsSpan(0, _pendingCount), null, _partTargetMs) is var count and > 0)
        {
            EmitPart(count, _pending[count].Ms);
        }
        if (_pendingCount > 1 && (_pendingCount >= MaxPartSamples || _pendingBytes >= MaxPartBytes))
        {
            EmitPart(_pendingCount - 1, _pending[_pendingCount - 1].Ms);
        }
        return _parts.Count > before;
    }

    /// <summary>Closes the segment in progress at <paramref name="endMs"/> (the next segment's first frame, or an estimate at a break).</summary>
    public CmafSegment? Complete(long endMs)
    {
        if (_file is null)
        {
            return null;
        }
        endMs = Math.Max(endMs, _lastMs);
        while (_pendingCount > 0)
        {
            var count = PartRule.NextPartLength(_pending.AsSpan(0, _pendingCount), endMs, _partTargetMs);
            EmitPart(count, count < _pendingCount ? _pending[count].Ms : endMs);
        }
        var writer = _file;
        _file = null;
        if (_parts.Count == 0)
        {
            writer.Dispose();
            return null;
        }
        var file = writer.Complete();
        writer.Dispose();
        var parts = _parts.ToArray();
        _parts.Clear();
        return new CmafSegment(Kind, Number, StartMs, endMs - StartMs, Discontinuity, Epoch!, SegmentInit!, file, parts);
    }

    /// <summary>The parts of the segment that just completed are served from its file now: their buffers go.</summary>
    public static void ReleaseParts(CmafSegment segment)
    {
        foreach (var part in segment.Parts)
        {
            part.Bytes.Release();
        }
    }

    /// <summary>Drops the segment in progress and every frame held (packaging stops).</summary>
    public void Abandon()
    {
        for (var i = 0; i < _pendingCount; i++)
        {
            _pending[i].Frame.Release();
            _pending[i] = default;
        }
        _pendingCount = 0;
        _pendingBytes = 0;
        foreach (var part in _parts)
        {
            part.Bytes.Release();
        }
        _parts.Clear();
        _file?.Dispose();
        _file = null;
    }

    /// <summary>Writes the first <paramref name="count"/> pending samples as the next part, ending at <paramref name="endMs"/>.</summary>
    private void EmitPart(int count, long endMs)
    {
        var track = SegmentInit!.Track;
        var samples = _samples.AsSpan(0, count);
        long payload = 0;
        for (var i = 0; i < count; i++)
        {
            ref readonly var pending = ref _pending[i];
            var next = i + 1 < count ? _pending[i + 1].Ms : endMs;
            var duration = ToTimescale(next, track.Timescale) - ToTimescale(pending.Ms, track.Timescale);
            samples[i] = new Fmp4Sample((uint)duration, pending.Size, pending.Sync || track.Kind == Fmp4TrackKind.Audio,
                (int)(pending.CompositionMs * (long)track.Timescale / 1000));
            payload += pending.Size;
        }
        _pendingBytes -= payload;
        var index = _parts.Count;
        var first = _pending[0];
        var withType = index == 0;
        // Sequence numbers come from the segment and part numbers, so every node writes the same bytes.
        var sequence = unchecked((uint)((Number * 1000) + index + 1));
        var header = Fmp4Fragment.MeasureHeader(track, samples, withType);
        var buffer = SharedBuffer.Rent(checked(header + (int)payload));
        var span = buffer.FullSpan;
        var at = Fmp4Fragment.WriteHeader(span, track, sequence, (ulong)ToTimescale(first.Ms, track.Timescale), samples, withType);
        for (var i = 0; i < count; i++)
        {
            ref var pending = ref _pending[i];
            pending.Frame.Payload.Span.Slice(pending.BodyOffset, pending.Size).CopyTo(span[at..]);
            at += pending.Size;
            pending.Frame.Release();
        }
        buffer.Length = at;
        _file!.Append(buffer.Span);
        var part = new CmafPart(index, first.Ms, endMs - first.Ms, samples[0].IsSync, count, _fileLength, at, new PartBytes(buffer),
            CmafName.PartFile(Kind, Number, index));
        _fileLength += at;
        _parts.Add(part);
        _pendingCount -= count;
        Array.Copy(_pending, count, _pending, 0, _pendingCount);
        Array.Clear(_pending, _pendingCount, count);
    }

    /// <summary>Milliseconds on the stream's timeline in the track's timescale: exact for 90 kHz, floored for audio rates, always from the absolute time.</summary>
    public static long ToTimescale(long ms, uint timescale) => Math.Max(0, ms) * timescale / 1000;
}
