namespace Appliance.Tests.Shared;

/// <summary>A test that needs a real redis-server; skipped, saying so, where it is not installed.</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute()
    {
        if (RedisServer.Executable is null || RedisServer.Cli is null)
        {
            Skip = "redis-server is not installed: run `make test-deps` as root, or `sudo apt-get install -y redis-server`";
        }
    }
}
