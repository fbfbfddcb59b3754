using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace Appliance.Architecture.Tests;

/// <summary>
/// What the project references cannot say: which folders of an assembly may use which. Each rule
/// names a layer inside an assembly and what it must stay ignorant of.
/// </summary>
public class NamespaceRuleTests
{
    [Fact]
    public void Media_frames_know_nothing_of_streams_viewers_packagers_or_ingest() =>
        Types().That().ResideInNamespace("Appliance.Streaming.Media")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Streaming\.(Streams|Fanout|Packaging|Ingest)(\..*)?")
            .Check(Assemblies.Loaded);

    [Fact]
    public void The_fan_out_knows_frames_not_streams() =>
        Types().That().ResideInNamespace("Appliance.Streaming.Fanout")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Streaming\.(Streams|Packaging|Ingest)(\..*)?")
            .Check(Assemblies.Loaded);

    [Fact]
    public void Packagers_know_frames_not_streams_or_viewers() =>
        Types().That().ResideInNamespaceMatching(@"Appliance\.Streaming\.Packaging(\..*)?")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Streaming\.(Streams|Fanout|Ingest)(\..*)?")
            .Check(Assemblies.Loaded);

    [Fact]
    public void Token_schemes_do_not_know_the_policy_that_combines_them() =>
        Types().That().ResideInNamespaceMatching(@"Appliance\.Auth\.(Schemes|Callback|Tokens|Text|Access)")
            .Should().NotDependOnAnyTypesThat().ResideInNamespace("Appliance.Auth")
            .Check(Assemblies.Loaded);

    [Fact]
    public void Routing_does_not_know_the_pulls_and_pushes_that_use_it() =>
        Types().That().ResideInNamespaceMatching(@"Appliance\.Relay\.(Routing|Urls|Config)")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Relay(\.(Pull|Push|Directory|Hosting))?$")
            .Check(Assemblies.Loaded);

    [Fact]
    public void The_config_knows_no_session_server_or_control_socket() =>
        Types().That().ResideInNamespace("Appliance.Node.Config")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Node\.(Http|Rtmp|Server|ControlSocket|Metrics|Sessions)")
            .Check(Assemblies.Loaded);

    [Fact]
    public void Only_the_server_creates_or_knows_the_protocol_sessions() =>
        Types().That().ResideInNamespaceMatching(@"Appliance\.Node\.(Config|ControlSocket|Metrics|Sessions|Limits|Logging)")
            .Should().NotDependOnAnyTypesThat().ResideInNamespaceMatching(@"Appliance\.Node\.(Http|Rtmp)")
            .Check(Assemblies.Loaded);
}
