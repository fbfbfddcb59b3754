using System.Globalization;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>Processes by their parent, from /proc: a daemon's children are found by its pid, never by name.</summary>
public static class ChildProcesses
{
    /// <summary>The pids whose parent is <paramref name="parent"/>, with their command name.</summary>
    public static List<(int Pid, string Name)> Of(int parent)
    {
        var children = new List<(int, string)>();
        foreach (var directory in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || Stat(pid) is not { } stat)
            {
                continue;
            }
            if (stat.Parent == parent)
            {
                children.Add((pid, stat.Name));
            }
        }
        return children;
    }

    /// <summary>Whether the process runs: there, and not a zombie waiting to be reaped.</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    private static (string Name, char State, int Parent)? Stat(int pid)
    {
        string line;
        try
        {
            line = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }
        var fields = line[(close + 2)..].Split(' ');
        return (line[(open + 1)..close], fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
