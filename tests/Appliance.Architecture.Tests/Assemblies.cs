using ArchUnitNET.Domain;
using ArchUnitNET.Loader;

namespace Appliance.Architecture.Tests;

/// <summary>Every library of the appliance, loaded once from the compiled assemblies the rules check.</summary>
internal static class Assemblies
{
    public static readonly System.Reflection.Assembly[] Libraries =
    [
        typeof(Appliance.Core.Buffers.SharedBuffer).Assembly,
        typeof(Appliance.Codecs.Flv.FlvWriter).Assembly,
        typeof(Appliance.Protocols.Rtmp.RtmpClient).Assembly,
        typeof(Appliance.Transport.Accounting.TrafficTotals).Assembly,
        typeof(Appliance.Streaming.Streams.LiveStream).Assembly,
        typeof(Appliance.Auth.AccessPolicy).Assembly,
        typeof(Appliance.Relay.RelayManager).Assembly,
        typeof(Appliance.Node.Server.ApplianceServer).Assembly,
        typeof(Appliance.Control.Contract.ControlRequest).Assembly,
        typeof(Appliance.Auth.Signing.UrlSigner).Assembly,
    ];

    public static readonly ArchUnitNET.Domain.Architecture Loaded = new ArchLoader().LoadAssemblies(Libraries).Build();

    /// <summary>The types of one assembly, by its name.</summary>
    public static IEnumerable<IType> TypesOf(string assembly) =>
        Loaded.Types.Where(t => t.Assembly.Name.StartsWith(assembly + ",", StringComparison.Ordinal) || t.Assembly.Name == assembly);
}
