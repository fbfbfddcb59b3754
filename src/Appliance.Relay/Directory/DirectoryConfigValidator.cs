using Appliance.Relay.Config;

namespace Appliance.Relay.Directory;

/// <summary>Checks the "directory" section so that starting the directory cannot fail on its settings.</summary>
public static class DirectoryConfigValidator
{
    public const int MaxKeyPrefixChars = 64;

    public static void Validate(DirectoryConfig? directory, Action<bool, string, string> check)
    {
        if (directory is null)
        {
            check(false, "directory", "must be an object");
            return;
        }
        var on = !string.IsNullOrEmpty(directory.Redis);
        if (on)
        {
            check(RedisAddress.TryParse(directory.Redis, out _, out var error), "directory.redis", $"{error} (host:port of the Redis server, or empty to turn the directory off)");
        }
        else
        {
            check(directory.Redis is not null, "directory.redis", "must be host:port, or empty to turn the directory off");
        }
        if (!string.IsNullOrEmpty(directory.Advertise))
        {
            check(AdvertiseUrl.TryParse(directory.Advertise, out _, out var error), "directory.advertise", error);
            check(on, "directory.advertise", "is set but directory.redis is empty: there is no directory to advertise in");
        }
        else
        {
            check(directory.Advertise is not null, "directory.advertise", "must be an upstream URL, or empty to register nothing");
        }
        check(directory.TtlMs is >= 3_000 and <= 600_000, "directory.ttlMs", "must be between 3000 and 600000");
        check(directory.LookupTimeoutMs is >= 10 and <= 5_000, "directory.lookupTimeoutMs", "must be between 10 and 5000");
        check(directory.KeyPrefix is not null && directory.KeyPrefix.Length <= MaxKeyPrefixChars
                && !directory.KeyPrefix.AsSpan().ContainsAnyInRange('\0', ' ') && !directory.KeyPrefix.AsSpan().ContainsAnyInRange('\x7f', char.MaxValue),
            "directory.keyPrefix", $"must be at most {MaxKeyPrefixChars} printable ASCII characters without spaces");
    }
}
