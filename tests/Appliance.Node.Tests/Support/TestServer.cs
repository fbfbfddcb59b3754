using Appliance.Node.Hosting;
using Appliance.Node.Config;
using Appliance.Node.Http;
using Appliance.Streaming.Media;
using Appliance.Node.Rtmp;
using Appliance.Node.Server;
using Appliance.Node.Sessions;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;
using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>A node without listeners: sessions run over in-memory connections against a real context.</summary>
internal sealed class TestServer : IDisposable
{
    public TestServer(Action<ApplianceConfig>? configure = null)
    {
        Config = new ApplianceConfig();
        // A stream ends when its publisher leaves, so no test leaves media behind on a timer.
        Config.Domains[0].Apps[0].PublisherGraceMs = 0;
        configure?.Invoke(Config);
        Logs = new LogCollector();
        Loggers = new LoggerFactory([Logs]);
        Sessions = new SessionTable();
        Context = new ServerContext(Config, new StreamRegistry(new FrameSerializer(Config.Rtmp.ChunkSize)), Sessions, Loggers);
    }

    public ApplianceConfig Config { get; }

    public LogCollector Logs { get; }

    /// <summary>The loggers the context writes to, all into <see cref="Logs"/>.</summary>
    public LoggerFactory Loggers { get; }

    public SessionTable Sessions { get; }

    public ServerContext Context { get; }

    public StreamRegistry Streams => Context.Streams;

    public AppConfig LiveApp => Config.Domains[0].Apps[0];

    /// <param name="remote">Where the client is; loopback by default.</param>
    /// <param name="rawInput">Whether the connection offers the server a pipe-free input once it plays, as a plain socket does (TLS does not).</param>
    public (PipeConnection Connection, Task Run) StartRtmp(System.Net.IPEndPoint? remote = null, bool rawInput = true)
    {
        var connection = remote is null ? new PipeConnection { OffersRawInput = rawInput } : new PipeConnection(remote) { OffersRawInput = rawInput };
        var session = new RtmpServerSession(connection, Context);
        return (connection, Task.Run(session.RunAsync));
    }

    /// <summary>A session of the public HTTP listener, or (admin) of the admin listener; <paramref name="node"/> is the admin side it may reach.</summary>
    public (PipeConnection Connection, Task Run) StartHttp(bool admin = false, INodeAdmin? node = null, System.Net.IPAddress? client = null)
    {
        var connection = new PipeConnection(client);
        var session = new HttpServerSession(connection, Context, node, admin);
        return (connection, Task.Run(session.RunAsync));
    }

    /// <summary>Starts "default/live/{name}" with a test source and the usual start of a stream.</summary>
    public (LiveStream Stream, TestSource Source) PublishLive(string name, Frames frames, string sourceDescription = "test source")
    {
        var source = new TestSource(sourceDescription);
        var outcome = Streams.TryPublish(new StreamKey("default", "live", name), LiveApp, source, out var stream);
        Assert.Equal(PublishOutcome.Started, outcome);
        stream.Publish(source, frames.Metadata(0));
        stream.Publish(source, frames.AvcSequenceHeader(0));
        stream.Publish(source, frames.AacSequenceHeader(0));
        stream.Publish(source, frames.KeyFrame(0));
        stream.Publish(source, frames.InterFrame(40));
        return (stream, source);
    }

    public void Dispose()
    {
        Sessions.Dispose();
        Loggers.Dispose();
    }
}
