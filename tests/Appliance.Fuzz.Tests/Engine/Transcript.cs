namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// A running hash of everything a parser produced, so two drives of the same bytes (whole, and in
/// pieces) can be compared; <see cref="Log"/> keeps the first events in words for the report.
/// </summary>
public sealed class Transcript
{
    private const int LogLimit = 12;
    private readonly List<string> _log = [];

    public ulong Hash { get; private set; } = Fnv.Offset;

    public int Count { get; private set; }

    public IReadOnlyList<string> Log => _log;

    public void Add(string what, long a = 0, long b = 0, long c = 0)
    {
        Hash = Fnv.Mix(Fnv.Mix(Fnv.Mix(Fnv.Hash(what, Hash), a), b), c);
        Note($"{what} {a} {b} {c}");
    }

    public void Add(string what, ReadOnlySpan<byte> bytes)
    {
        Hash = Fnv.Mix(Fnv.Hash(bytes, Fnv.Hash(what, Hash)), bytes.Length);
        Note($"{what} [{bytes.Length} bytes]");
    }

    public void Add(string what, string? text)
    {
        Hash = Fnv.Hash(text, Fnv.Hash(what, Hash));
        Note($"{what} {text}");
    }

    /// <summary>Throws <see cref="FuzzInvariantException"/> unless both drives produced the same.</summary>
    public static void AssertSame(Transcript whole, Transcript pieces, string what)
    {
        if (whole.Hash != pieces.Hash || whole.Count != pieces.Count)
        {
            throw new FuzzInvariantException(
                $"{what}: the input in one piece and in many pieces parsed differently " +
                $"({whole.Count} vs {pieces.Count} events). Whole: [{string.Join("; ", whole.Log)}] Pieces: [{string.Join("; ", pieces.Log)}]");
        }
    }

    private void Note(string text)
    {
        Count++;
        if (_log.Count < LogLimit)
        {
            _log.Add(text.Length > 120 ? text[..120] + "..." : text);
        }
    }
}
