using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Appliance.Architecture.Tests;

/// <summary>
/// Sockets are Transport's: the libraries above it get connections from its acceptor, its
/// connector or its Unix listener, so timeouts, socket options and a later transport apply to all
/// of them. Read from the compiled assemblies: a constructor call on a socket type anywhere else
/// fails here. (The hosts are not checked: appliancectl may reference only the control contract and
/// the URL signer, and applianced's sd_notify datagram is not a connection.)
/// </summary>
public sealed class SocketOwnershipTests
{
    private static readonly string[] SocketTypes =
    [
        "System.Net.Sockets.Socket", "System.Net.Sockets.TcpClient", "System.Net.Sockets.TcpListener", "System.Net.Sockets.UdpClient",
    ];

    public static TheoryData<string> Libraries() =>
        ["Appliance.Core", "Appliance.Codecs", "Appliance.Protocols", "Appliance.Streaming", "Appliance.Auth", "Appliance.Auth.Signing", "Appliance.Relay", "Appliance.Node"];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Only_Transport_makes_sockets(string library)
    {
        var made = MemberReferences(library)
            .Where(m => m.Member == ".ctor" && SocketTypes.Contains(m.Type))
            .Select(m => m.Type)
            .Distinct();

        Assert.Empty(made);
    }

    [Fact]
    public void Protocols_use_nothing_from_System_Net_Sockets()
    {
        var used = TypeReferences("Appliance.Protocols").Where(t => t.StartsWith("System.Net.Sockets.", StringComparison.Ordinal));

        Assert.Empty(used);
    }

    private static IEnumerable<(string Type, string Member)> MemberReferences(string library)
    {
        using var pe = Open(library);
        var reader = pe.GetMetadataReader();
        var found = new List<(string, string)>();
        foreach (var handle in reader.MemberReferences)
        {
            var member = reader.GetMemberReference(handle);
            if (member.Parent.Kind == HandleKind.TypeReference)
            {
                found.Add((Name(reader, (TypeReferenceHandle)member.Parent), reader.GetString(member.Name)));
            }
        }
        return found;
    }

    private static IEnumerable<string> TypeReferences(string library)
    {
        using var pe = Open(library);
        var reader = pe.GetMetadataReader();
        return reader.TypeReferences.Select(handle => Name(reader, handle)).ToList();
    }

    private static string Name(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
    }

    private static PEReader Open(string library) =>
        new(File.OpenRead(Path.Combine(AppContext.BaseDirectory, library + ".dll")));
}
