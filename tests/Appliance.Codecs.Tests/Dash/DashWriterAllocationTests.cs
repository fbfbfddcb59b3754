using System.Buffers;
using Appliance.Codecs.Dash;
using static Appliance.Codecs.Tests.Dash.DashManifests;

namespace Appliance.Codecs.Tests.Dash;

public class DashWriterAllocationTests
{
    [Fact]
    public void WritingTheManifestPerRequestAllocatesNothing()
    {
        var manifest = Manifest(
            new DashPeriod("0", 0, [Video(Segments(0, 180000, 10)), Audio(Segments(0, 96000, 10))]),
            new DashPeriod("1", 20000, [Video(Segments(0, 180000, 5)), Audio(Segments(0, 96000, 5))])) with
        {
            LowLatency = new DashLowLatency(1500, 1000, 3000, 0.96, 1.04, 1800),
        };
        var output = new ArrayBufferWriter<byte>(64 * 1024);

        DashManifestWriter.Write(manifest, "session=ab$c&d", output);
        output.ResetWrittenCount();
        var before = GC.GetAllocatedBytesForCurrentThread();
        DashManifestWriter.Write(manifest, "session=ab$c&d", output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > 2000);
    }
}
