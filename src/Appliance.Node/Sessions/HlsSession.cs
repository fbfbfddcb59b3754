using Appliance.Node.Webhooks;
using Appliance.Streaming.Streams;

namespace Appliance.Node.Sessions;

/// <summary>
/// One HLS player of one stream. It has no connection of its own (a player fetches playlists and
/// segments over whatever connections it likes), so it lives while its requests keep coming
/// within <see cref="WindowMs"/>. Every request updates it without a lock; it ends once, and
/// only the table ends it.
/// </summary>
public sealed class HlsSession
{
    // The last request's time, or, once ended, -(that time) - 1: one word, so a request that
    // touches the session and the sweep that expires it cannot both win.
    private long _lastRequestMs;
    private long _bytesOut;
    private int _lastStatus;

    internal HlsSession(long id, HlsSessionKey key, LiveStream stream, long nowMs, long windowMs, bool refused)
    {
        Id = id;
        Key = key;
        Stream = stream;
        StartedMs = nowMs;
        _lastRequestMs = nowMs;
        WindowMs = windowMs;
        IsRefused = refused;
        Client = key.Address.ToString();
        StreamPath = key.Stream.ToString();
    }

    public long Id { get; }

    /// <summary>Its play webhook's follow-up (stop), when its app has webhooks.</summary>
    internal SessionWebhooks? Webhooks { get; set; }

    public HlsSessionKey Key { get; }

    /// <summary>The stream instance it watches: a stream that ends and is published again is a new one, with new sessions.</summary>
    public LiveStream Stream { get; }

    /// <summary>The client's address (no port: a player's requests come over several connections).</summary>
    public string Client { get; }

    /// <summary>"domain/app/name".</summary>
    public string StreamPath { get; }

    /// <summary>When its first request came (monotonic ms).</summary>
    public long StartedMs { get; }

    /// <summary>How long it may make no request before it ends.</summary>
    public long WindowMs { get; }

    /// <summary>A kicked session's stand-in: its requests are refused until it has been quiet for a window; no viewer.</summary>
    public bool IsRefused { get; }

    /// <summary>When its last request came (monotonic ms), ended or not.</summary>
    public long LastRequestMs
    {
        get
        {
            var last = Volatile.Read(ref _lastRequestMs);
            return last >= 0 ? last : -last - 1;
        }
    }

    public bool IsEnded => Volatile.Read(ref _lastRequestMs) < 0;

    /// <summary>Bytes of the responses it was sent: heads and bodies of playlists and segments.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>The status of its last response.</summary>
    public int LastStatus => Volatile.Read(ref _lastStatus);

    /// <summary>A response to one of its requests went out.</summary>
    public void AddResponse(int status, long bytes)
    {
        Interlocked.Add(ref _bytesOut, bytes);
        Volatile.Write(ref _lastStatus, status);
    }

    /// <summary>A request came: the session lives on. False when it has already ended.</summary>
    internal bool TryTouch(long nowMs)
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastRequestMs);
            if (last < 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _lastRequestMs, Math.Max(last, nowMs), last) == last)
            {
                return true;
            }
        }
    }

    /// <summary>Ends the session if it has made no request for its window; true for the one caller that ended it.</summary>
    internal bool TryExpire(long nowMs)
    {
        var last = Volatile.Read(ref _lastRequestMs);
        return last >= 0 && nowMs - last > WindowMs && Interlocked.CompareExchange(ref _lastRequestMs, -last - 1, last) == last;
    }

    /// <summary>Ends the session now (kick, end of stream, shutdown); true for the one caller that ended it.</summary>
    internal bool TryEnd()
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastRequestMs);
            if (last < 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _lastRequestMs, -last - 1, last) == last)
            {
                return true;
            }
        }
    }
}
