using System.Text.RegularExpressions;
using Appliance.Codecs.Avc;
using Appliance.Codecs.MpegTs;
using Appliance.Codecs.Tests.MpegTs;

namespace Appliance.Codecs.Tests.Avc;

/// <summary>
/// ffmpeg's H.264 decoder reads our stamp as what it is: user data unregistered, with our UUID and
/// the time as its 8 bytes (showinfo prints the side data it exports).
/// </summary>
public sealed partial class FfmpegReadsSeiStampTests : IDisposable
{
    private static readonly byte[] StartCode = [0, 0, 0, 1];

    private readonly string _directory = Directory.CreateTempSubdirectory("appliance-sei-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [FfmpegFact]
    public void FfmpegDecodesEveryFrameAndReportsEachStamp()
    {
        var plain = Path.Combine(_directory, "plain.h264");
        var stamped = Path.Combine(_directory, "stamped.h264");
        var encode = ExternalTool.Run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25",
            "-frames:v", "5", "-c:v", "libx264", "-x264-params", "aud=1", "-bsf:v", "h264_mp4toannexb", plain);
        Assert.True(encode.ExitCode == 0, encode.Stderr);

        // After each access unit delimiter, our SEI; one time with zero bytes (emulation prevention).
        long[] times = [0x0000000100000000, 1_796_598_000_000_000, 1_796_598_000_040_000, 1_796_598_000_080_000, 1_796_598_000_120_000];
        var output = new List<byte>();
        var reader = new AnnexBReader(File.ReadAllBytes(plain));
        var stamps = 0;
        var nal = new byte[SeiStamp.MaxNalLength];
        while (reader.TryReadNext(out var unit))
        {
            output.AddRange(StartCode);
            CollectionExtensions.AddRange(output, unit);
            if (NalUnitTypes.H264Type(unit[0]) == NalUnitTypes.H264Aud)
            {
                output.AddRange(StartCode);
                CollectionExtensions.AddRange(output, nal.AsSpan(0, SeiStamp.WriteH264Nal(nal, times[stamps++])));
            }
        }
        Assert.Equal(5, stamps);
        File.WriteAllBytes(stamped, [.. output]);

        var decode = ExternalTool.Run("ffmpeg", "-hide_banner", "-i", stamped, "-vf", "showinfo", "-f", "null", "-");
        Assert.True(decode.ExitCode == 0, decode.Stderr);
        var ours = UserData().Matches(decode.Stderr)
            .Where(m => m.Groups["uuid"].Value == "a95e7c41-d23b-4f86-9e1c-62b7f058e32d")
            .Select(m => Convert.ToInt64(m.Groups["data"].Value, 16))
            .ToArray();
        Assert.Equal(times, ours);
        Assert.DoesNotContain("error", decode.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"UUID=(?<uuid>[0-9a-f-]{36})\s*\n.*User Data=(?<data>[0-9a-f]+)")]
    private static partial Regex UserData();
}
