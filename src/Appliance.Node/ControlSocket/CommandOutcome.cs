namespace Appliance.Node.ControlSocket;

/// <summary>What a command did, in words for the operator, and which kind of failure it was (each front end has its own way to say it).</summary>
public readonly record struct CommandOutcome(CommandOutcomeKind Kind, string Text)
{
    public bool Ok => Kind == CommandOutcomeKind.Done;

    public static CommandOutcome Done(string text) => new(CommandOutcomeKind.Done, text);

    public static CommandOutcome Invalid(string text) => new(CommandOutcomeKind.Invalid, text);

    public static CommandOutcome NotFound(string text) => new(CommandOutcomeKind.NotFound, text);

    public static CommandOutcome Refused(string text) => new(CommandOutcomeKind.Refused, text);
}

public enum CommandOutcomeKind
{
    Done,

    /// <summary>The arguments cannot name anything (a missing stream, a malformed id).</summary>
    Invalid,

    /// <summary>No such session or stream.</summary>
    NotFound,

    /// <summary>The node would not do it now (a reload of a broken file, or with no file).</summary>
    Refused,
}
