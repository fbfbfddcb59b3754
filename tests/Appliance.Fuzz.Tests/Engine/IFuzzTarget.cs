namespace Appliance.Fuzz.Tests.Engine;

/// <summary>
/// One parser under fuzz. <see cref="Run"/> drives the parser over the whole input the way the
/// server does (streaming parsers get the bytes in pieces) and checks what it can on the way.
/// It may let the parser's documented rejection escape (<see cref="IsExpected"/>); anything else
/// that escapes, including <see cref="FuzzInvariantException"/>, is a finding.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Short name: the folder under Corpus/ and Regressions/ and the afl-fuzz target.</summary>
    string Name { get; }

    /// <summary>Valid inputs built in code; the files under Corpus/{Name}/ are added to them.</summary>
    IEnumerable<byte[]> Seeds();

    /// <summary>Tokens of the format (keywords, delimiters) the mutator may splice in.</summary>
    IReadOnlyList<byte[]> Dictionary { get; }

    /// <summary>The documented way the parser refuses bad input; false for parsers that never throw.</summary>
    bool IsExpected(Exception exception);

    void Run(ReadOnlySpan<byte> input);
}

/// <summary>Defaults for the optional parts of <see cref="IFuzzTarget"/>.</summary>
public abstract class FuzzTarget : IFuzzTarget
{
    public abstract string Name { get; }

    public abstract IEnumerable<byte[]> Seeds();

    public virtual IReadOnlyList<byte[]> Dictionary => [];

    public virtual bool IsExpected(Exception exception) => false;

    public abstract void Run(ReadOnlySpan<byte> input);

    public override string ToString() => Name;
}

/// <summary>A target that can also mutate its inputs with knowledge of their structure (the own engine uses it for half the mutations).</summary>
public interface IStructuredMutator
{
    /// <summary>A variation of <paramref name="input"/>, or null when it has no structure to work on.</summary>
    byte[]? Mutate(byte[] input, Prng rng);
}

/// <summary>A property the harness checks failed: the parser did not throw, but got something wrong.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message)
{
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
