using Appliance.Protocols.Rtmp;

namespace Appliance.Protocols.Tests.Rtmp.Server;

/// <summary>
/// Records every callback as a line ("publish cam live", "media 9 40 3 bytes") in the order raised.
/// Decisions accept by default (connect answers with the standard result); a test replaces them.
/// </summary>
internal sealed class RecordingHandler : IRtmpServerHandler
{
    private readonly List<string> _events = [];

    public RtmpServerConnection Connection { get; set; } = null!;

    public long BytesReceived { get; private set; }

    public List<RtmpConnectRequest> Connects { get; } = [];

    public List<RtmpPublishRequest> Publishes { get; } = [];

    public List<RtmpPlayRequest> Plays { get; } = [];

    /// <summary>Payloads of media messages, copied.</summary>
    public List<byte[]> Media { get; } = [];

    public Func<RtmpConnectRequest, ValueTask<string?>> Connect { get; set; }

    public Func<RtmpPublishRequest, ValueTask<string?>> Publish { get; set; } = _ => default;

    public Func<RtmpPlayRequest, ValueTask<string?>> Play { get; set; } = _ => default;

    public RecordingHandler() => Connect = request =>
    {
        Connection.SendConnectResult(request);
        return default;
    };

    public string[] Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public void OnBytesReceived(long count) => BytesReceived += count;

    public void OnHandshakeCompleted() => Add("handshake");

    public ValueTask<string?> OnConnectAsync(RtmpConnectRequest request)
    {
        Connects.Add(request);
        Add($"connect {request.App}");
        return Connect(request);
    }

    public ValueTask<string?> OnPublishAsync(RtmpPublishRequest request)
    {
        Publishes.Add(request);
        Add($"publish {request.Name} {request.Type}");
        return Publish(request);
    }

    public ValueTask<string?> OnPlayAsync(RtmpPlayRequest request)
    {
        Plays.Add(request);
        Add($"play {request.Name}");
        return Play(request);
    }

    public void OnPause(bool paused, double milliseconds) => Add($"pause {paused} {milliseconds}");

    public void OnFCUnpublish(string? streamName) => Add($"FCUnpublish {streamName}");

    public void OnDeleteStream(string command) => Add(command);

    public void OnMedia(in RtmpMessage message)
    {
        Media.Add(message.Payload.Span.ToArray());
        Add($"media {message.TypeId} {message.Timestamp} {message.Payload.Length} bytes");
    }

    public void OnIgnored(string what) => Add($"ignored {what}");

    private void Add(string line)
    {
        lock (_events)
        {
            _events.Add(line);
        }
    }
}
