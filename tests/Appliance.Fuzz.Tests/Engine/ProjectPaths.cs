using System.Reflection;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>Where the corpus and the regression inputs live: in the source tree, never in bin/.</summary>
public static class ProjectPaths
{
    public static string ProjectDirectory { get; } = Find();

    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(ProjectDirectory, "..", ".."));

    public static string Corpus(string target) => Path.Combine(ProjectDirectory, "Corpus", target);

    public static string Regressions(string target) => Path.Combine(ProjectDirectory, "Regressions", target);

    /// <summary>Where the fixed-seed test pass leaves what it found (git-ignored artifacts/).</summary>
    public static string TestFindings(string target) => Path.Combine(RepositoryRoot, "artifacts", "fuzz", "findings", target);

    /// <summary>The files of a folder in name order (so a seed sees the same corpus everywhere), or none.</summary>
    public static IReadOnlyList<string> Files(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).OrderBy(f => f, StringComparer.Ordinal)]
            : [];

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("FUZZ_PROJECT_DIR") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        var built = typeof(ProjectPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FuzzProjectDirectory")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Appliance.Fuzz.Tests.csproj")))
        {
            return built;
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Appliance.Fuzz.Tests");
            if (File.Exists(Path.Combine(candidate, "Appliance.Fuzz.Tests.csproj")))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("cannot find tests/Appliance.Fuzz.Tests; set FUZZ_PROJECT_DIR");
    }
}
