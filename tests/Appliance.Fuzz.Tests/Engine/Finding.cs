using System.Diagnostics;
using System.Security.Cryptography;

namespace Appliance.Fuzz.Tests.Engine;

public enum FindingKind
{
    /// <summary>An exception the parser does not document escaped.</summary>
    Crash,

    /// <summary>A harness check failed (<see cref="FuzzInvariantException"/>).</summary>
    Invariant,

    /// <summary>One input took longer than <see cref="Executor.SlowLimit"/>, or never returned.</summary>
    Hang,

    /// <summary>One input made the parser allocate more than <see cref="Executor.AllocationLimit"/>.</summary>
    Memory,
}

/// <summary>Something wrong that one input makes a target do.</summary>
public sealed record Finding(string Target, FindingKind Kind, string ExceptionType, string Message, string StackTrace, byte[] Input)
{
    /// <summary>What makes two findings the same bug: kind, exception type and the parser frame that threw.</summary>
    public string Signature => $"{Target}/{Kind}/{ExceptionType}/{Where}";

    /// <summary>The first frame in the code under test (not the harness), or the message's start for harness checks.</summary>
    public string Where { get; init; } = "";

    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Input))[..16];

    public static Finding FromException(string target, FindingKind kind, Exception exception, byte[] input)
    {
        var where = kind == FindingKind.Invariant ? Category(exception.Message) : TopFrame(exception);
        return new Finding(target, kind, exception.GetType().FullName ?? "?", exception.Message, exception.ToString(), input) { Where = where };
    }

    /// <summary>A harness message's stable part: before the first ':', without quoted names or numbers.</summary>
    public static string Category(string message)
    {
        var head = message.Split(':', 2)[0];
        var text = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in head)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                text.Append(c);
            }
            else if (!quoted)
            {
                text.Append(char.IsAsciiDigit(c) ? '#' : c);
            }
        }
        return text.Length > 80 ? text.ToString(0, 80) : text.ToString();
    }

    public static string TopFrame(Exception exception)
    {
        var frames = new StackTrace(exception, false).GetFrames();
        foreach (var frame in frames)
        {
            var type = frame.GetMethod()?.DeclaringType;
            var name = type?.FullName ?? "";
            if (name.StartsWith("Appliance.", StringComparison.Ordinal) && !name.StartsWith("Appliance.Fuzz.", StringComparison.Ordinal))
            {
                return $"{name}.{frame.GetMethod()!.Name}";
            }
        }
        return frames.Length > 0 && frames[0].GetMethod() is { } first ? $"{first.DeclaringType?.FullName}.{first.Name}" : "?";
    }

    /// <summary>The report: what, where, the input as hex (the start of it when long) and the stack.</summary>
    public string Describe(string? path = null)
    {
        var hex = Convert.ToHexStringLower(Input.AsSpan(0, Math.Min(Input.Length, 512)));
        return $"""
            [{Target}] {Kind}: {ExceptionType}: {Message}
              at {Where}
              input ({Input.Length} bytes){(path is null ? "" : $": {path}")}
              hex: {hex}{(Input.Length > 512 ? "..." : "")}
              {StackTrace.Replace("\n", "\n      ", StringComparison.Ordinal)}
            """;
    }
}
