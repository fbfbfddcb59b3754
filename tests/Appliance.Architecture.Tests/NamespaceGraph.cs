using ArchUnitNET.Domain;

namespace Appliance.Architecture.Tests;

/// <summary>Which namespace uses which, from the compiled types, and the cycles in that graph.</summary>
internal static class NamespaceGraph
{
    /// <summary>For each namespace of <paramref name="types"/>, the other namespaces among them its types use, with one example each.</summary>
    public static Dictionary<string, Dictionary<string, string>> Of(IEnumerable<IType> types)
    {
        var list = types.Where(t => !IsCompilerGenerated(t)).ToList();
        var own = list.Select(NamespaceOf).ToHashSet(StringComparer.Ordinal);
        var graph = own.ToDictionary(n => n, _ => new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var type in list)
        {
            var from = NamespaceOf(type);
            foreach (var dependency in type.Dependencies)
            {
                // A generic parameter is no type of any folder. ArchUnitNET files same-named ones
                // under the first declarer's namespace, so two source-generated JSON contexts in two
                // folders (each with its TJsonMetadataType) would look like a cycle between them.
                if (dependency.Target is GenericParameter)
                {
                    continue;
                }
                var to = dependency.Target is { } target ? NamespaceOf(target) : "";
                if (to != from && own.Contains(to))
                {
                    graph[from].TryAdd(to, $"{type.Name} -> {dependency.Target.Name}");
                }
            }
        }
        return graph;
    }

    /// <summary>Each strongly connected group of two or more namespaces, with the uses that tie it.</summary>
    public static List<string> Cycles(Dictionary<string, Dictionary<string, string>> graph)
    {
        var index = 0;
        var indices = new Dictionary<string, int>();
        var lowLinks = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var found = new List<string>();

        void Connect(string node)
        {
            indices[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph[node].Keys)
            {
                if (!indices.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], indices[next]);
                }
            }
            if (lowLinks[node] != indices[node])
            {
                return;
            }
            var group = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                group.Add(member);
            }
            while (member != node);
            if (group.Count > 1)
            {
                var ties = group.SelectMany(a => graph[a].Where(e => group.Contains(e.Key)).Select(e => $"  {a} -> {e.Key} ({e.Value})"));
                found.Add($"{string.Join(" <-> ", group.Order(StringComparer.Ordinal))}:\n{string.Join('\n', ties)}");
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(node))
            {
                Connect(node);
            }
        }
        return found;
    }

    private static string NamespaceOf(IType type) => type.Namespace?.FullName ?? "";

    // Closures and state machines carry their owner's namespace already; async/iterator types add nothing.
    private static bool IsCompilerGenerated(IType type) => type.Name.Contains('<', StringComparison.Ordinal);
}
