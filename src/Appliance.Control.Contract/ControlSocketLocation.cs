namespace Appliance.Control.Contract;

/// <summary>
/// Where the control socket is when <c>control.socket</c> is empty. The daemon and appliancectl
/// walk the same candidates in the same order: the daemon binds at the first it can make its
/// socket in, appliancectl connects to the first that holds a socket.
/// </summary>
public static class ControlSocketLocation
{
    public const string FileName = "control.sock";

    /// <summary>The packaged service's directory (systemd's RuntimeDirectory=appliance).</summary>
    public const string SystemDirectory = "/run/appliance";

    /// <summary>The last resort, under the working directory: where `make run` finds it again, private to its owner.</summary>
    public const string WorkingDirectoryFolder = "run";

    /// <summary>
    /// $RUNTIME_DIRECTORY alone when systemd set it (the unit made that directory for the service);
    /// otherwise /run/appliance, then $XDG_RUNTIME_DIR/appliance (a user's own runtime directory),
    /// then ./run under <paramref name="workingDirectory"/>.
    /// </summary>
    public static IReadOnlyList<string> Candidates(Func<string, string?> environment, string workingDirectory)
    {
        var runtime = environment("RUNTIME_DIRECTORY");
        if (!string.IsNullOrEmpty(runtime))
        {
            // systemd passes several directories separated by ':' when a unit names several.
            return [Path.Combine(runtime.Split(':')[0], FileName)];
        }
        var candidates = new List<string> { Path.Combine(SystemDirectory, FileName) };
        var user = environment("XDG_RUNTIME_DIR");
        // The XDG base directory spec: a relative path there is invalid and is ignored.
        if (!string.IsNullOrEmpty(user) && Path.IsPathRooted(user))
        {
            candidates.Add(Path.Combine(user, "appliance", FileName));
        }
        candidates.Add(Path.Combine(workingDirectory, WorkingDirectoryFolder, FileName));
        return candidates;
    }

    /// <summary>
    /// The candidate a client should connect to: the first that holds a socket; else the first it
    /// cannot look into (connecting there says "permission denied", which is the truth); else null.
    /// <paramref name="holdsSocket"/> answers true, false, or null when it cannot tell.
    /// </summary>
    public static string? Find(IReadOnlyList<string> candidates, Func<string, bool?> holdsSocket)
    {
        string? unknown = null;
        foreach (var candidate in candidates)
        {
            switch (holdsSocket(candidate))
            {
                case true:
                    return candidate;
                case null:
                    unknown ??= candidate;
                    break;
            }
        }
        return unknown;
    }
}
