namespace Appliance.Node.Config;

/// <summary>Finds a program as a shell would: a path with a '/' as it is, a bare name on PATH.</summary>
public static class Executables
{
    /// <summary>The full path of an executable file, or null.</summary>
    public static string? Find(string? nameOrPath, string? path = null)
    {
        if (string.IsNullOrEmpty(nameOrPath))
        {
            return null;
        }
        if (nameOrPath.Contains('/'))
        {
            return IsExecutable(nameOrPath) ? Path.GetFullPath(nameOrPath) : null;
        }
        foreach (var directory in (path ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, nameOrPath);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsExecutable(string file)
    {
        try
        {
            return !OperatingSystem.IsWindows() && File.Exists(file) &&
                (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
