using System.Buffers.Binary;
using System.Text;

namespace Appliance.Codecs.Tests.Fmp4;

/// <summary>One ISOBMFF box as the test walker read it; <see cref="Bytes"/> is the whole box, header included.</summary>
internal sealed record Box(string Type, byte[] Bytes, IReadOnlyList<Box> Children)
{
    public int Size => Bytes.Length;

    /// <summary>The bytes after the 8-byte header.</summary>
    public ReadOnlySpan<byte> Body => Bytes.AsSpan(8);

    /// <summary>The one child at a slash-separated path ("mdia/minf/stbl"); fails the test if absent or repeated.</summary>
    public Box Find(string path)
    {
        var box = this;
        foreach (var type in path.Split('/'))
        {
            box = Assert.Single(box.Children, c => c.Type == type);
        }
        return box;
    }
}

/// <summary>
/// An independent, minimal box walker for the tests: it knows which boxes are containers and
/// where each container's children start, and fails when any size does not add up exactly.
/// </summary>
internal static class Boxes
{
    // Where the child boxes start inside the body of each container we write.
    private static readonly Dictionary<string, int> ChildOffset = new()
    {
        ["moov"] = 0, ["trak"] = 0, ["mdia"] = 0, ["minf"] = 0, ["dinf"] = 0, ["stbl"] = 0, ["mvex"] = 0,
        ["moof"] = 0, ["traf"] = 0,
        ["dref"] = 8,   // version/flags, entry_count
        ["stsd"] = 8,   // version/flags, entry_count
        ["avc1"] = 78,  // VisualSampleEntry fields
        ["hvc1"] = 78,
        ["hev1"] = 78,  // as ffmpeg's mp4 muxer writes HEVC
        ["mp4a"] = 28,  // AudioSampleEntry fields
    };

    /// <summary>The top-level boxes of a file or segment, which must fill it exactly.</summary>
    public static List<Box> Parse(ReadOnlySpan<byte> bytes)
    {
        var boxes = new List<Box>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            Assert.True(bytes.Length - offset >= 8, $"{bytes.Length - offset} stray bytes at {offset}");
            var size = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes[offset..]);
            var type = Encoding.ASCII.GetString(bytes.Slice(offset + 4, 4));
            Assert.True(size >= 8 && size <= bytes.Length - offset, $"'{type}' at {offset} claims {size} bytes, {bytes.Length - offset} left");
            var box = bytes.Slice(offset, size);
            var children = ChildOffset.TryGetValue(type, out var skip) ? Parse(box[(8 + skip)..]) : [];
            boxes.Add(new Box(type, box.ToArray(), children));
            offset += size;
        }
        return boxes;
    }

    /// <summary>Box types in depth-first order, indented by depth, for asserting a whole structure at once.</summary>
    public static string Outline(IEnumerable<Box> boxes)
    {
        var text = new StringBuilder();
        Append(boxes, 0);
        return text.ToString();

        void Append(IEnumerable<Box> level, int depth)
        {
            foreach (var box in level)
            {
                text.Append(' ', depth * 2).Append(box.Type).Append('\n');
                Append(box.Children, depth + 1);
            }
        }
    }
}
