using System.Xml.Linq;

namespace Appliance.Architecture.Tests;

/// <summary>
/// The assemblies depend one way: Core ← Codecs ← Protocols ← Streaming ← {Auth, Relay} ← Node ←
/// hosts, Transport on Core (and under Streaming), the control contract and the URL signer on
/// nothing (appliancectl uses both, and so stays off the data path). The project
/// files are the source of truth; every project in src is checked, and a reference against the
/// arrow fails here.
/// </summary>
public class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Appliance.Core"] = [],
        ["Appliance.Codecs"] = ["Appliance.Core"],
        ["Appliance.Protocols"] = ["Appliance.Codecs"],
        ["Appliance.Transport"] = ["Appliance.Core"],
        ["Appliance.Streaming"] = ["Appliance.Protocols", "Appliance.Transport"],
        ["Appliance.Auth"] = ["Appliance.Streaming"],
        ["Appliance.Relay"] = ["Appliance.Streaming"],
        ["Appliance.Control.Contract"] = [],
        ["Appliance.Auth.Signing"] = [],
        ["Appliance.Node"] = ["Appliance.Relay", "Appliance.Auth", "Appliance.Control.Contract"],
        ["applianced"] = ["Appliance.Node"],
        ["appliancectl"] = ["Appliance.Control.Contract", "Appliance.Auth.Signing"],
        ["appliance-load"] = ["Appliance.Protocols", "Appliance.Transport"],
    };

    public static TheoryData<string> Projects()
    {
        var data = new TheoryData<string>();
        foreach (var name in ProjectNames())
        {
            data.Add(name);
        }
        return data;
    }

    private static IEnumerable<string> ProjectNames() =>
        Directory.GetFiles(Path.Combine(RepoRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(path => Path.GetFileNameWithoutExtension(path)!);

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_the_layers_below_it(string project)
    {
        Assert.True(Allowed.ContainsKey(project), $"{project} is not in the layering table; add it to DESIGN.md and to this test");
        var csproj = Path.Combine(RepoRoot(), "src", project, project + ".csproj");
        var references = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .ToList();

        Assert.All(references, r => Assert.Contains(r, Allowed[project]));
    }

    [Fact]
    public void The_src_folder_holds_every_project_of_the_table_that_exists()
    {
        var found = ProjectNames().ToHashSet();
        Assert.Contains("Appliance.Core", found);
        Assert.Contains("Appliance.Node", found);
        Assert.Contains("applianced", found);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "appliance.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("appliance.sln not found above the test binaries");
    }
}
