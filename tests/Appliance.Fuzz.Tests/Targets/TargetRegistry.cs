using Appliance.Fuzz.Tests.Engine;

namespace Appliance.Fuzz.Tests.Targets;

public static class TargetRegistry
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new RtmpHandshakeTarget(),
        new RtmpChunkTarget(),
        new Amf0Target(),
        new FlvTarget(),
        new TsTarget(),
        new SrtIngestTarget(),
        new HttpTarget(),
        new AuthTarget(),
        new ConfigTarget(),
    ];

    public static IFuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"no fuzz target '{name}'; there are: {string.Join(", ", All.Select(t => t.Name))}");
}
