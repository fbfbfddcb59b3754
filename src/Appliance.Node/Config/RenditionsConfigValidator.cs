namespace Appliance.Node.Config;

/// <summary>Checks an app's "renditions" section, so every group has one reading and a stream belongs to one group.</summary>
internal static class RenditionsConfigValidator
{
    public const int MaxLabels = 16;
    public const int MaxLabelLength = 32;
    public const int MaxGroups = 1000;
    public const int MaxMembers = 16;

    /// <param name="at">The key path of the section without "$.", e.g. "domains[0].apps[0].renditions".</param>
    public static void Validate(RenditionsConfig? renditions, int maxNameLength, string at, Action<bool, string, string> check)
    {
        if (renditions is null)
        {
            check(false, at, "must be an object");
            return;
        }
        check(renditions.Labels is not null, $"{at}.labels", "must be an array of labels");
        check(renditions.Groups is not null, $"{at}.groups", "must be an object of group names and their streams");
        if (renditions.Labels is null || renditions.Groups is null)
        {
            return;
        }
        check(renditions.Labels.Count == 0 || renditions.Groups.Count == 0, at, "has both labels and groups: use one or the other");
        ValidateLabels(renditions.Labels, $"{at}.labels", check);
        ValidateGroups(renditions.Groups, maxNameLength, $"{at}.groups", check);
    }

    private static void ValidateLabels(List<string> labels, string at, Action<bool, string, string> check)
    {
        check(labels.Count <= MaxLabels, at, $"lists more than {MaxLabels} labels");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i];
            check(label is { Length: > 0 and <= MaxLabelLength } && !label.AsSpan().ContainsAnyExcept(LabelCharacters), $"{at}[{i}]",
                $"must be 1 to {MaxLabelLength} letters, digits, '-' or '_'");
            check(label is null || seen.Add(label), $"{at}[{i}]", $"'{label}' is listed twice");
        }
    }

    private static void ValidateGroups(Dictionary<string, List<string>> groups, int maxNameLength, string at, Action<bool, string, string> check)
    {
        check(groups.Count <= MaxGroups, at, $"has more than {MaxGroups} groups");
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, members) in groups)
        {
            var path = $"{at}.{name}";
            check(IsStreamName(name, maxNameLength), path, $"the group name must be a stream name (1 to {maxNameLength} characters, none of / ? # % \\ or spaces)");
            if (members is null)
            {
                check(false, path, "must be an array of stream names");
                continue;
            }
            check(members.Count is > 0 and <= MaxMembers, path, $"must list 1 to {MaxMembers} streams");
            for (var i = 0; i < members.Count; i++)
            {
                var member = members[i];
                check(IsStreamName(member, maxNameLength), $"{path}[{i}]", $"must be a stream name (1 to {maxNameLength} characters, none of / ? # % \\ or spaces)");
                if (member is null)
                {
                    continue;
                }
                if (owner.TryGetValue(member, out var other))
                {
                    check(false, $"{path}[{i}]", other == name ? $"'{member}' is listed twice" : $"'{member}' is already in group '{other}': a stream belongs to one group");
                }
                else
                {
                    owner[member] = name;
                }
            }
        }
    }

    private static bool IsStreamName(string? name, int maxLength) =>
        name is { Length: > 0 } && name.Length <= maxLength && name.AsSpan().IndexOfAny("/?# \t%\\") < 0;

    private static readonly System.Buffers.SearchValues<char> LabelCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
}
