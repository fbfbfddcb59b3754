using Appliance.Core.Buffers;
using Appliance.Streaming.Ingest;
using Appliance.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Appliance.Streaming.Tests.Media;

/// <summary>Tags no header parser can read are dropped with one line, then counted, not one line each.</summary>
public sealed class MediaIngestLogTests
{
    [Fact]
    public void A_publisher_sending_unreadable_tags_gets_one_warning_per_kind_then_a_count()
    {
        var h = new StreamHarness();
        var logs = new LogCollector();
        using var loggers = new LoggerFactory([logs]);
        var ingest = new MediaIngest(h.Stream, h.Source, loggers.CreateLogger("ingest"));

        for (var i = 0; i < 100; i++)
        {
            ingest.Accept(9, (uint)(i * 40), SharedBuffer.CopyOf([]));
            ingest.Accept(8, (uint)(i * 40), SharedBuffer.CopyOf([]));
        }

        var warnings = logs.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();
        Assert.Equal(
            ["stream default/live/cam: dropped a frame: Video tag with an unreadable header (0 bytes)",
             "stream default/live/cam: dropped a frame: Audio tag with an unreadable header (0 bytes)"],
            warnings.Where(w => !w.Contains("repeated", StringComparison.Ordinal)));
        Assert.True(warnings.Count <= 4, string.Join('\n', warnings));
        Assert.Equal(0, h.Stream.Stats.Frames);
    }
}
