using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>
/// Tests that count BufferPool.Shared's outstanding buffers run alone, after the parallel ones,
/// so nothing else rents or returns shared buffers while they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedPoolCollection
{
    public const string Name = "BufferPool.Shared counters";
}
