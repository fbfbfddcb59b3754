using Appliance.Codecs.Flv;
using Appliance.Load.Publish;

namespace Appliance.Load.Tests.Publish;

public sealed class FlvSourceTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void TheFileIsReadWithoutScriptTagsAndItsDurationIsOneFrameAfterTheLast()
    {
        File.WriteAllBytes(_path, Flv(
            (FlvTagType.Script, 0, [0x02, 0x00, 0x0A]),
            (FlvTagType.Video, 0, [0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1F, 0xFE]),
            (FlvTagType.Audio, 0, [0xAF, 0x00, 0x12, 0x10]),
            (FlvTagType.Video, 0, [0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65]),
            (FlvTagType.Audio, 23, [0xAF, 0x01, 0x21]),
            (FlvTagType.Video, 40, [0x27, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x41])));

        var source = FlvSource.Load(_path);

        Assert.Equal(5, source.Tags.Count);
        Assert.Equal(80, source.DurationMs);
        // lengthSizeMinusOne 2 in the AVC record (0xFE & 3).
        Assert.Equal(3, source.NalLengthSize);
        Assert.Equal([true, true, false, false, false], source.Tags.Select(t => t.Header));
    }

    [Fact]
    public void AFileWithoutVideoFramesIsRefused()
    {
        File.WriteAllBytes(_path, Flv((FlvTagType.Audio, 0, [0xAF, 0x01, 0x21])));

        Assert.Equal("no H.264 or H.265 video frames", Assert.Throws<InvalidDataException>(() => FlvSource.Load(_path)).Message);
    }

    [Fact]
    public void AFileThatIsNotFlvIsRefused()
    {
        File.WriteAllBytes(_path, "#EXTM3U\n#EXT-X-VERSION:3\n"u8.ToArray());

        Assert.Throws<FlvFormatException>(() => FlvSource.Load(_path));
    }

    [Fact]
    public void AFileCutInsideATagIsRefused()
    {
        var whole = Flv((FlvTagType.Video, 0, [0x17, 0x01, 0, 0, 0, 0, 0, 0, 1, 0x65]));
        File.WriteAllBytes(_path, whole[..^3]);

        Assert.Contains("bytes after the last whole tag", Assert.Throws<InvalidDataException>(() => FlvSource.Load(_path)).Message, StringComparison.Ordinal);
    }

    private static byte[] Flv(params (FlvTagType Type, uint Time, byte[] Payload)[] tags)
    {
        var file = new List<byte> { (byte)'F', (byte)'L', (byte)'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0 };
        foreach (var (type, time, payload) in tags)
        {
            var size = payload.Length;
            file.AddRange([(byte)type, (byte)(size >> 16), (byte)(size >> 8), (byte)size, (byte)(time >> 16), (byte)(time >> 8), (byte)time, (byte)(time >> 24), 0, 0, 0]);
            file.AddRange(payload);
            var previous = size + 11;
            file.AddRange([(byte)(previous >> 24), (byte)(previous >> 16), (byte)(previous >> 8), (byte)previous]);
        }
        return [.. file];
    }
}
