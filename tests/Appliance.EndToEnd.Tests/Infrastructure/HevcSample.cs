using System.Buffers.Binary;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real HEVC stream from libx265 turned into enhanced RTMP video tags: one SequenceStart with
/// an hvcC record built from the VPS/SPS/PPS, then one CodedFrames tag per picture.
/// </summary>
public static class HevcSample
{
    public const int Width = 320;
    public const int Height = 240;

    private static readonly Lazy<List<byte[]>> Tags = new(Build);

    public static List<byte[]> EnhancedRtmpTags() => Tags.Value;

    private static List<byte[]> Build()
    {
        var path = Path.Combine(Path.GetTempPath(), $"appliance-hevc-{Guid.NewGuid():N}.hevc");
        try
        {
            var ffmpeg = ExternalProcess.RunAsync(TimeSpan.FromSeconds(60), "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "lavfi", "-i", $"testsrc2=size={Width}x{Height}:rate=25", "-frames:v", "12",
                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "keyint=25:bframes=0:log-level=error",
                "-f", "hevc", "-y", path).GetAwaiter().GetResult();
            if (ffmpeg.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg could not encode HEVC: {ffmpeg.Stderr}");
            }
            return ToTags(SplitAnnexB(File.ReadAllBytes(path)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static List<byte[]> ToTags(List<byte[]> nals)
    {
        var parameterSets = new Dictionary<int, byte[]>();
        var tags = new List<byte[]>();
        foreach (var nal in nals)
        {
            var type = (nal[0] >> 1) & 0x3F;
            if (type is 32 or 33 or 34)
            {
                parameterSets.TryAdd(type, nal);
                continue;
            }
            if (type >= 32)
            {
                continue;
            }
            if (tags.Count == 0)
            {
                tags.Add(SequenceStart(parameterSets[32], parameterSets[33], parameterSets[34]));
            }
            var key = type is >= 16 and <= 23;
            var tag = new byte[5 + 3 + 4 + nal.Length];
            tag[0] = (byte)(0x80 | ((key ? 1 : 2) << 4) | 1);
            "hvc1"u8.CopyTo(tag.AsSpan(1));
            BinaryPrimitives.WriteInt32BigEndian(tag.AsSpan(8), nal.Length);
            nal.CopyTo(tag, 12);
            tags.Add(tag);
        }
        return tags;
    }

    /// <summary>An enhanced RTMP SequenceStart tag: the hvcC record of these parameter sets.</summary>
    public static byte[] SequenceStart(byte[] vps, byte[] sps, byte[] pps)
    {
        var record = new List<byte>
        {
            1, 0x01, 0x60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 93, 0xF0, 0x00, 0xFC, 0xFD, 0xF8, 0xF8, 0, 0, 0x0F, 3,
        };
        foreach (var (type, nal) in new[] { (32, vps), (33, sps), (34, pps) })
        {
            record.Add((byte)(0x80 | type));
            record.AddRange([0, 1, (byte)(nal.Length >> 8), (byte)nal.Length]);
            record.AddRange(nal);
        }
        return [0x90, .. "hvc1"u8, .. record];
    }

    private static List<byte[]> SplitAnnexB(byte[] data)
    {
        var starts = new List<(int Start, int Prefix)>();
        for (var i = 0; i + 3 <= data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                var prefix = i > 0 && data[i - 1] == 0 ? 4 : 3;
                starts.Add((i + 3, prefix));
                i += 2;
            }
        }
        var nals = new List<byte[]>();
        for (var n = 0; n < starts.Count; n++)
        {
            var end = n + 1 < starts.Count ? starts[n + 1].Start - starts[n + 1].Prefix : data.Length;
            nals.Add(data[starts[n].Start..end]);
        }
        return nals;
    }
}
