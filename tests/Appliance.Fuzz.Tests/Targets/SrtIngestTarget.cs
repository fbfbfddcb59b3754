using System.Runtime.ExceptionServices;
using System.Text;
using Appliance.Codecs.Flv;
using Appliance.Codecs.MpegTs;
using Appliance.Fuzz.Tests.Engine;
using Appliance.Fuzz.Tests.Seeds;
using Appliance.Protocols.Srt;
using Appliance.Streaming.Fanout;
using Appliance.Streaming.Ingest;
using Appliance.Streaming.Media;
using Appliance.Streaming.Settings;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Fuzz.Tests.Targets;

/// <summary>
/// What an SRT publisher sends before its media is a stream's, as the SRT session reads it: the
/// stream id (<see cref="SrtStreamId"/>), then MPEG-TS through <see cref="TsIngest"/> into a live
/// stream (Annex-B to length-prefixed NAL units, parameter sets to decoder configuration records,
/// ADTS to raw AAC, the 33-bit clock extended). The input is the stream id up to the first newline,
/// then the transport stream, written in pieces as SRT messages arrive. Checks: the stream id parser
/// never throws, says why it refuses, and what it accepts names an app and a stream; every coded
/// video frame a viewer gets is length-prefixed NAL units filling its body exactly; an aligned
/// transport stream gives the same frames whole and in pieces. Refusal: <see cref="TsFormatException"/>.
/// </summary>
public sealed class SrtIngestTarget : FuzzTarget, IStructuredMutator
{
    private const byte NewLine = (byte)'\n';
    private static readonly StreamKey Key = new("default", "live", "fuzz");

    public override string Name => "srt";

    public override IEnumerable<byte[]> Seeds()
    {
        yield return With("#!::r=live/cam,m=publish", TsTarget.Mux(Media.AvcAacTags()));
        yield return With("#!::r=live/cam?auth_key=1700000000-0-0-abc,m=publish,t=x=1,h=example.com,u=me,s=1", TsTarget.Mux(Media.EnhancedTags()));
        yield return With("live/cam?k=v", TsTarget.Mux(Media.OtherTags()));
        yield return With("#!::m=request,r=live/cam", []);
        foreach (var file in ProjectPaths.Files(ProjectPaths.Corpus("ts")))
        {
            yield return With("#!::r=live/cam,m=publish", File.ReadAllBytes(file));
        }
    }

    public override IReadOnlyList<byte[]> Dictionary { get; } =
    [
        "#!::"u8.ToArray(), "r="u8.ToArray(), "m=publish"u8.ToArray(), "m=request"u8.ToArray(), "t="u8.ToArray(), "h="u8.ToArray(), ","u8.ToArray(),
        "?"u8.ToArray(), "&"u8.ToArray(), "/"u8.ToArray(), [NewLine], [0x47, 0x40, 0x00, 0x10], [0x47, 0x50, 0x00, 0x10], [0x00, 0x00, 0x01, 0xE0],
        [0x00, 0x00, 0x01, 0xC0], [0x1B], [0x24], [0x0F], [0xFF, 0xF1], [0x00, 0x00, 0x00, 0x01], [0x67], [0x68], [0x65], [0x40, 0x01], [0x42, 0x01],
    ];

    public override bool IsExpected(Exception exception) => exception is TsFormatException;

    /// <summary>The transport stream mutated as the ts target does, the stream id kept; inputs without one are left to the byte mutator.</summary>
    public byte[]? Mutate(byte[] input, Prng rng)
    {
        var split = Array.IndexOf(input, NewLine);
        if (split < 0 || Structured.Ts(input[(split + 1)..], rng, Dictionary) is not { } ts)
        {
            return null;
        }
        return [.. input.AsSpan(0, split + 1), .. ts];
    }

    public override void Run(ReadOnlySpan<byte> input)
    {
        var split = input.IndexOf(NewLine);
        CheckStreamId(split < 0 ? input : input[..split]);
        var ts = split < 0 ? [] : input[(split + 1)..].ToArray();
        var pieces = Ingest(ts, Pieces.Cuts(ts), out var error);
        if (IsAligned(ts))
        {
            var whole = Ingest(ts, [ts.Length], out _);
            FuzzInvariantException.Check(whole == pieces, $"aligned transport stream: {whole} frames whole, {pieces} in pieces");
        }
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }

    private static byte[] With(string streamId, byte[] ts) => [.. Encoding.UTF8.GetBytes(streamId), NewLine, .. ts];

    private static void CheckStreamId(ReadOnlySpan<byte> bytes)
    {
        // libsrt hands the node at most 512 bytes; longer ones are made here so the length check meets them.
        var text = Encoding.UTF8.GetString(bytes);
        var id = SrtStreamId.Parse(text, out var problem);
        Feedback.Note("stream id", id is null ? 0 : 1 + (long)id.Mode);
        if (id is null)
        {
            FuzzInvariantException.Check(problem.Length > 0, $"stream id '{text}' refused without a reason");
            return;
        }
        FuzzInvariantException.Check(text.Length <= SrtStreamId.MaxLength, $"stream id of {text.Length} characters accepted");
        FuzzInvariantException.Check(id.App.Length > 0 && id.Stream.Length > 0 && !id.App.Contains('/'),
            $"stream id '{text}' accepted as app '{id.App}', stream '{id.Stream}'");
        Feedback.Note("stream id query", id.Query is null ? 0 : 1);
    }

    // The frames the stream took (TsIngest.Frames); every frame a viewer collects on the way is checked.
    private static long Ingest(byte[] data, int[] arrivals, out TsFormatException? error)
    {
        error = null;
        var registry = new StreamRegistry(new FrameSerializer(4096));
        var source = new Publisher();
        registry.TryPublish(Key, new StreamingAppConfig(), source, out var stream);
        var ingest = new TsIngest(stream, source, NullLogger.Instance);
        var viewer = stream.Subscribe(new ConnectionWriter(new DiscardingSink()), WireFormat.Flv)!;
        var from = 0;
        try
        {
            foreach (var to in arrivals)
            {
                ingest.Write(data.AsSpan(from, to - from));
                from = to;
                CheckFrames(stream, viewer);
            }
            ingest.Flush();
            CheckFrames(stream, viewer);
        }
        catch (TsFormatException e)
        {
            error = e;
        }
        finally
        {
            stream.Unsubscribe(viewer);
            stream.End();
        }
        Feedback.NoteSize("frames", ingest.Frames);
        return ingest.Frames;
    }

    private static void CheckFrames(LiveStream stream, Subscription viewer)
    {
        CollectResult result;
        do
        {
            var batch = new OutputBatch();
            try
            {
                result = stream.Collect(viewer, batch);
                foreach (var (type, payload) in FlvTagsOf(batch))
                {
                    Check(type, payload);
                }
            }
            finally
            {
                batch.ReleaseAll();
            }
        }
        while (result == CollectResult.More);
    }

    private static void Check(FlvTagType type, byte[] payload)
    {
        if (type == FlvTagType.Video && VideoTagInfo.TryParse(payload, out var video) && video.Kind == VideoPacketKind.CodedFrames
            && video.Codec is VideoCodec.Avc or VideoCodec.Hevc)
        {
            var body = payload.AsSpan(video.HeaderLength);
            FuzzInvariantException.Check(FillsWithNalUnits(body), $"{video.Codec} frame of {body.Length} bytes is not length-prefixed NAL units filling it");
            Feedback.Note("video", (long)video.Codec << 1 | (video.IsKeyFrame ? 1L : 0));
        }
        else
        {
            Feedback.Note("tag", (long)type);
        }
    }

    private static List<(FlvTagType Type, byte[] Payload)> FlvTagsOf(OutputBatch batch)
    {
        var bytes = new List<byte>();
        foreach (var slice in batch.Slices.Span)
        {
            bytes.AddRange(slice.Span.ToArray());
        }
        var tags = new List<(FlvTagType, byte[])>();
        var all = bytes.ToArray().AsSpan();
        // Each tag: 11-byte header (type, 24-bit size, time), payload, 4-byte previous size.
        while (all.Length >= 15)
        {
            var size = all[1] << 16 | all[2] << 8 | all[3];
            FuzzInvariantException.Check(all.Length >= 15 + size, $"FLV tag of {size} bytes cut short in the viewer's output");
            tags.Add(((FlvTagType)all[0], all.Slice(11, size).ToArray()));
            all = all[(15 + size)..];
        }
        FuzzInvariantException.Check(all.IsEmpty, $"{all.Length} stray bytes after the viewer's FLV tags");
        return tags;
    }

    private static bool FillsWithNalUnits(ReadOnlySpan<byte> body)
    {
        while (body.Length >= 4)
        {
            var length = (long)body[0] << 24 | (long)body[1] << 16 | (long)body[2] << 8 | body[3];
            if (length == 0 || length > body.Length - 4)
            {
                return false;
            }
            body = body[(4 + (int)length)..];
        }
        return body.IsEmpty;
    }

    private static bool IsAligned(byte[] data)
    {
        if (data.Length % TsPacket.Size != 0)
        {
            return false;
        }
        for (var i = 0; i < data.Length; i += TsPacket.Size)
        {
            if (data[i] != TsPacket.SyncByte)
            {
                return false;
            }
        }
        return true;
    }

    private sealed class Publisher : IStreamSource
    {
        public string Description => "srt-publish fuzz";

        public bool RelaysTimeline => false;

        public bool IsTranscoded => false;

        public void Kick(string reason)
        {
        }
    }

    // The viewer's writer is never flushed: the target collects its frames itself.
    private sealed class DiscardingSink : Appliance.Core.Connections.IGatherSink
    {
        public ValueTask WriteAsync(ReadOnlyMemory<Appliance.Core.Buffers.BufferSlice> slices, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
