using Appliance.Relay.Config;
using Appliance.Streaming.Streams;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Appliance.Relay.Directory;

/// <summary>
/// Keeps this node's published streams registered: each sync compares the streams published here
/// now with what was last written, and sends the difference (new entries, and removals of
/// streams that ended) as one pipelined batch; a full sync rewrites every entry to renew its TTL.
/// Pulled streams are not registered: the directory names the node a stream is published at, so
/// every other node pulls from the source, never from a copy. Nor are streams this node pushes
/// further up: the node at the top of the push chain registers them (an edge that ingests and
/// pushes to an upper node would otherwise keep overwriting the upper node's entry).
/// </summary>
internal sealed class DirectoryRegistrar(string prefix, string nodeId, AdvertiseUrl advertise, TimeSpan ttl, StreamRegistry streams, ILogger logger)
{
    // Removes an entry only while it still names this node: the stream may have been published
    // at another node since, and that node's entry must stay.
    private const string DeleteIfOurs = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    // What Redis holds from this node as of the last sync that succeeded: key -> value.
    private Dictionary<string, string> _written = new(StringComparer.Ordinal);

    /// <summary>Streams registered by the last successful sync.</summary>
    public int Count => Volatile.Read(ref _written).Count;

    /// <summary>Entries for every stream published here now (not pulled, not pushed on, not waiting for its publisher to come back).</summary>
    public Dictionary<string, string> Published()
    {
        var wanted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stream in streams.Streams)
        {
            if (stream.Source is { IsPull: false } source && stream.App is not RelayAppConfig { Push.Count: > 0 } && !stream.IsEnded)
            {
                wanted[DirectoryEntry.KeyOf(prefix, stream.Key)] = DirectoryEntry.Format(nodeId, advertise.For(stream.Key.App));
            }
        }
        return wanted;
    }

    /// <summary>
    /// Writes the difference (everything when <paramref name="full"/>) as one batch; throws
    /// (RedisException, TimeoutException) when Redis did not take all of it within <paramref name="timeout"/>.
    /// </summary>
    public async Task SyncAsync(IDatabase db, bool full, TimeSpan timeout)
    {
        var wanted = Published();
        var written = _written;
        var batch = db.CreateBatch();
        var sent = new List<Task>();
        foreach (var (key, value) in wanted)
        {
            var changed = !written.TryGetValue(key, out var old) || old != value;
            if (full || changed)
            {
                sent.Add(batch.StringSetAsync(key, value, ttl, When.Always));
            }
            if (changed)
            {
                DirectoryLog.Registered(logger, key, value);
            }
        }
        foreach (var (key, value) in written)
        {
            if (!wanted.ContainsKey(key))
            {
                sent.Add(batch.ScriptEvaluateAsync(DeleteIfOurs, [key], [value]));
                DirectoryLog.Removed(logger, key);
            }
        }
        if (sent.Count == 0)
        {
            return;
        }
        batch.Execute();
        // On failure nothing is noted as written: the next sync sends the same difference again (a stream that
        // ends before then may keep its entry until the TTL runs out, which is what TTLs are for).
        await WaitAllAsync(sent, timeout).ConfigureAwait(false);
        Volatile.Write(ref _written, wanted);
    }

    /// <summary>Removes every entry of this node (a clean stop), best effort within <paramref name="timeout"/>.</summary>
    public async Task RemoveAllAsync(IDatabase db, TimeSpan timeout)
    {
        var written = _written;
        if (written.Count == 0)
        {
            return;
        }
        var batch = db.CreateBatch();
        var sent = new List<Task>();
        foreach (var (key, value) in written)
        {
            sent.Add(batch.ScriptEvaluateAsync(DeleteIfOurs, [key], [value]));
        }
        batch.Execute();
        await WaitAllAsync(sent, timeout).ConfigureAwait(false);
        Volatile.Write(ref _written, new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static async Task WaitAllAsync(List<Task> sent, TimeSpan timeout)
    {
        var all = Task.WhenAll(sent);
        try
        {
            await all.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The commands may still fail later; nobody waits for them any more.
            _ = all.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }
}
