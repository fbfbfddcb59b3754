using System.Buffers;
using Appliance.Codecs.Flv;
using Appliance.Streaming.Fanout;

namespace Appliance.Tests.Support;

internal sealed record ParsedTag(FlvTagType Type, uint Timestamp, byte[] Payload);

/// <summary>Reads FLV tags back out of what a viewer was given.</summary>
internal static class FlvTags
{
    public static byte[] Bytes(OutputBatch batch)
    {
        var output = new MemoryStream();
        foreach (var slice in batch.Slices.Span)
        {
            output.Write(slice.Span);
        }
        return output.ToArray();
    }

    /// <summary>The tags of a run of FLV tags with no file header (a batch of FLV wire bytes).</summary>
    public static List<ParsedTag> ParseTags(ReadOnlySpan<byte> tags)
    {
        var withHeader = new byte[FlvWriter.FileHeaderLength + tags.Length];
        FlvWriter.WriteFileHeader(withHeader, hasAudio: true, hasVideo: true);
        tags.CopyTo(withHeader.AsSpan(FlvWriter.FileHeaderLength));
        var parsed = ParseFile(withHeader, out var rest);
        Assert.True(rest == 0, $"{rest} bytes after the last complete tag");
        return parsed;
    }

    public static List<ParsedTag> Parse(OutputBatch batch) => ParseTags(Bytes(batch));

    /// <summary>The complete tags of an FLV file (header first); <paramref name="rest"/> counts the bytes of an incomplete last tag.</summary>
    public static List<ParsedTag> ParseFile(byte[] file, out long rest)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(file));
        var flv = new FlvStreamReader();
        var tags = new List<ParsedTag>();
        while (flv.TryReadTag(ref reader, out var tag))
        {
            tags.Add(new ParsedTag(tag.Type, tag.Timestamp, tag.Payload.Span.ToArray()));
            tag.Payload.Release();
        }
        rest = reader.Remaining;
        return tags;
    }

    public static string Describe(IEnumerable<ParsedTag> tags) =>
        string.Join(" ", tags.Select(t => $"{t.Type}@{t.Timestamp}"));
}
