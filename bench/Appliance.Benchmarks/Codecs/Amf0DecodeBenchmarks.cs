using System.Buffers;
using Appliance.Codecs.Amf0;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks.Codecs;

/// <summary>
/// Decoding the two AMF0 payloads every session sees: the connect command (once per connection)
/// and onMetaData (once per publish, replayed to every viewer). Values are objects and strings by
/// design, so these allocate; the figure shows how much a connection costs.
/// </summary>
[MemoryDiagnoser]
public class Amf0DecodeBenchmarks
{
    private byte[] _connect = [];
    private byte[] _metadata = [];

    [GlobalSetup]
    public void Setup()
    {
        _connect = Encode(
            Amf0Value.FromString("connect"),
            Amf0Value.FromNumber(1),
            Amf0Value.Object(
                Amf0Value.Prop("app", "live"),
                Amf0Value.Prop("type", "nonprivate"),
                Amf0Value.Prop("flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)"),
                Amf0Value.Prop("tcUrl", "rtmp://127.0.0.1:1935/live"),
                Amf0Value.Prop("fpad", false),
                Amf0Value.Prop("capabilities", 15),
                Amf0Value.Prop("audioCodecs", 4071),
                Amf0Value.Prop("videoCodecs", 252),
                Amf0Value.Prop("videoFunction", 1)));
        _metadata = Encode(
            Amf0Value.FromString("onMetaData"),
            Amf0Value.EcmaArray(
                Amf0Value.Prop("duration", 0),
                Amf0Value.Prop("width", 1280),
                Amf0Value.Prop("height", 720),
                Amf0Value.Prop("videodatarate", 2441.40625),
                Amf0Value.Prop("framerate", 25),
                Amf0Value.Prop("videocodecid", 7),
                Amf0Value.Prop("audiodatarate", 125),
                Amf0Value.Prop("audiosamplerate", 48000),
                Amf0Value.Prop("audiosamplesize", 16),
                Amf0Value.Prop("stereo", true),
                Amf0Value.Prop("audiocodecid", 10),
                Amf0Value.Prop("encoder", "Lavf61.7.100"),
                Amf0Value.Prop("filesize", 0)));
    }

    [Benchmark]
    public int ConnectCommand() => Amf0Reader.ReadAll(_connect).Count;

    [Benchmark]
    public int OnMetaData() => Amf0Reader.ReadAll(_metadata).Count;

    private static byte[] Encode(params Amf0Value[] values)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var value in values)
        {
            Amf0Writer.Write(writer, value);
        }
        return writer.WrittenSpan.ToArray();
    }
}
