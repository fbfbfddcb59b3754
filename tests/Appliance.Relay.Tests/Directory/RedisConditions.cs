using System.Diagnostics;

namespace Appliance.Relay.Tests.Directory;

/// <summary>Waits on what redis-cli reads back, with a deadline.</summary>
internal static class RedisConditions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:F1} s waiting for: {what}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until GET <paramref name="key"/> reads <paramref name="value"/> ("" = no such key).</summary>
    public static Task UntilValueAsync(RedisServer redis, string key, string value, TimeSpan? timeout = null) =>
        UntilAsync(async () => await redis.CliAsync("GET", key) == value, value.Length == 0 ? $"{key} gone" : $"{key} = {value}", timeout);
}
