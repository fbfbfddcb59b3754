namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// The poor man's coverage of the own engine: targets name what happened (message types, refusal
/// reasons, counters, in log2 buckets) and an input that shows something new joins the corpus.
/// Free when nobody listens (afl-fuzz has real edge coverage).
/// </summary>
public static class Feedback
{
    [ThreadStatic]
    private static HashSet<ulong>? t_features;

    public static void Begin() => (t_features ??= []).Clear();

    public static IReadOnlyCollection<ulong> Current => t_features ?? [];

    public static bool Listening => t_features is not null;

    public static void Note(string what, long value = 0)
    {
        if (t_features is { } features)
        {
            features.Add(Fnv.Mix(Fnv.Hash(what), value));
        }
    }

    /// <summary>Notes a size or count by its order of magnitude only.</summary>
    public static void NoteSize(string what, long value) => Note(what, Bucket(value));

    /// <summary>Notes an exception's message with its numbers blanked, so "needed 3 bytes" and "needed 5 bytes" are one feature.</summary>
    public static void NoteRejection(Exception exception)
    {
        if (t_features is not { } features)
        {
            return;
        }
        var hash = Fnv.Hash(exception.GetType().Name);
        foreach (var c in exception.Message)
        {
            hash = (hash ^ (char.IsAsciiDigit(c) ? '#' : c)) * 0x100000001B3;
        }
        features.Add(hash);
    }

    public static long Bucket(long value) => value <= 0 ? value : 64 - long.LeadingZeroCount(value);
}
