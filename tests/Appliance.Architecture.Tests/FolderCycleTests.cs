using ArchUnitNET.Domain;

namespace Appliance.Architecture.Tests;

/// <summary>
/// Inside each assembly the folders (namespaces) depend one way too: a cycle between two folders
/// means neither can be understood, tested or moved without the other.
/// </summary>
public class FolderCycleTests
{
    public static TheoryData<string> Libraries() =>
        [.. Assemblies.Libraries.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void No_two_folders_of_an_assembly_depend_on_each_other_even_through_others(string assembly)
    {
        var cycles = NamespaceGraph.Cycles(NamespaceGraph.Of(Assemblies.TypesOf(assembly)));

        Assert.True(cycles.Count == 0, $"{assembly} has folder cycles:\n{string.Join('\n', cycles)}");
    }
}
