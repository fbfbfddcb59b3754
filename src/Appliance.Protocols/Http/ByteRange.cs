namespace Appliance.Protocols.Http;

/// <summary>What a Range header asks of a representation of known length.</summary>
public enum ByteRangeOutcome
{
    /// <summary>No range to honour (absent, another unit, malformed, several ranges): serve 200 and the whole body.</summary>
    Ignore,

    /// <summary>One range inside the body: serve 206 with it.</summary>
    Satisfiable,

    /// <summary>A well-formed range that starts past the end (or an empty suffix): serve 416.</summary>
    Unsatisfiable,
}

/// <summary>Inclusive byte positions, as Content-Range writes them ("bytes First-Last/total").</summary>
public readonly record struct ByteRange(long First, long Last)
{
    public long Length => Last - First + 1;
}
