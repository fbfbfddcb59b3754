using System.Collections.Concurrent;

namespace Appliance.Fuzz.Tests.Engine;

/// <summary>The checked-in inputs that once failed, and writing new ones.</summary>
public static class Regressions
{
    private static readonly ConcurrentDictionary<string, IReadOnlySet<string>> KnownCache = new();

    /// <summary>
    /// The signatures of the inputs in Regressions/{target}/ that still fail (the bugs not yet fixed),
    /// so a campaign that meets them again counts them as known instead of reporting them anew.
    /// </summary>
    public static IReadOnlySet<string> StillFailing(IFuzzTarget target) =>
        KnownCache.GetOrAdd(target.Name, _ =>
        {
            var known = new HashSet<string>();
            foreach (var file in ProjectPaths.Files(ProjectPaths.Regressions(target.Name)))
            {
                if (Executor.Execute(target, File.ReadAllBytes(file)).Finding is { } finding && finding.Where != "stuck")
                {
                    known.Add(finding.Signature);
                }
            }
            return known;
        });

    /// <summary>Writes the input as {directory}/{hash}.bin and returns the path.</summary>
    public static string Save(Finding finding, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, finding.Hash + ".bin");
        File.WriteAllBytes(path, finding.Input);
        return path;
    }
}
