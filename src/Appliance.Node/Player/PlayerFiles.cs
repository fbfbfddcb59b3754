using System.Security.Cryptography;
using Appliance.Core.Buffers;
using Appliance.Transport.Files;

namespace Appliance.Node.Player;

/// <summary>
/// The player page's scripts (http.playerDir), read at start and at each reload into sealed
/// in-memory files that responses send with sendfile: a package upgrade rewriting the directory
/// never changes the bytes of a response under way. Only the names in <see cref="Names"/> are
/// ever served, so no request path reaches the file system. Without every one of them the page
/// is off (<see cref="Problem"/> says why) and the node runs on.
/// </summary>
public sealed class PlayerFiles : IDisposable
{
    /// <summary>The URL prefix of the scripts.</summary>
    public const string Prefix = "/player/";

    public const string ContentType = "text/javascript; charset=utf-8";

    /// <summary>A file larger than this is no player script: the directory is the wrong one.</summary>
    public const long MaxFileBytes = 32L * 1024 * 1024;

    /// <summary>What the page loads: the libraries, then its own script.</summary>
    public static readonly string[] Names = ["hls.min.js", "dash.all.min.js", "mpegts.js", "player.js"];

    private readonly Dictionary<string, PlayerFile> _files;
    private int _disposed;

    private PlayerFiles(string directory, Dictionary<string, PlayerFile> files, string? problem)
    {
        Directory = directory;
        _files = files;
        Problem = problem;
    }

    /// <summary>The directory read, resolved.</summary>
    public string Directory { get; }

    /// <summary>Why the page is off; null when every script was read.</summary>
    public string? Problem { get; }

    public int Count => _files.Count;

    /// <summary>The directory <paramref name="configured"/> names; "" is share/appliance/player beside the binary's directory.</summary>
    public static string Resolve(string configured)
    {
        if (configured.Length > 0)
        {
            return configured;
        }
        var binary = Path.GetDirectoryName(Environment.ProcessPath ?? AppContext.BaseDirectory) ?? "/";
        return Path.GetFullPath(Path.Combine(binary, "..", "share", "appliance", "player"));
    }

    public static PlayerFiles Load(string configured)
    {
        var directory = Resolve(configured);
        if (!System.IO.Directory.Exists(directory))
        {
            return new PlayerFiles(directory, [], $"no directory {directory}");
        }
        var missing = Names.Where(name => !File.Exists(Path.Combine(directory, name))).ToList();
        if (missing.Count > 0)
        {
            return new PlayerFiles(directory, [], $"{directory} has no {string.Join(", ", missing)}");
        }
        var files = new Dictionary<string, PlayerFile>(StringComparer.Ordinal);
        try
        {
            foreach (var name in Names)
            {
                files[name] = Read(Path.Combine(directory, name), name);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            foreach (var file in files.Values)
            {
                file.File.Release();
            }
            return new PlayerFiles(directory, [], ex.Message);
        }
        return new PlayerFiles(directory, files, null);
    }

    /// <summary>The script named <paramref name="name"/> (the path after /player/), if the page is on.</summary>
    public bool TryGet(string name, out PlayerFile file) => _files.TryGetValue(name, out file!);

    /// <summary>Releases this set's reference to each file; responses under way hold their own.</summary>
    /// <remarks>The table itself stays as it is: a request may still be looking a name up in it.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        foreach (var file in _files.Values)
        {
            file.File.Release();
        }
    }

    private static PlayerFile Read(string path, string name)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
        {
            throw new IOException($"{path} is {length} bytes, more than any player script ({MaxFileBytes})");
        }
        var bytes = File.ReadAllBytes(path);
        using var writer = MemoryFileWriter.Create($"player-{name}");
        writer.Append(bytes);
        var version = Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8));
        return new PlayerFile(name, writer.Complete(), version);
    }
}

/// <summary>One script: its bytes, and a version from their hash (its ETag, and the page's ?v= on its URL).</summary>
public sealed class PlayerFile(string name, SharedFile file, string version)
{
    public string Name { get; } = name;

    public SharedFile File { get; } = file;

    /// <summary>16 hex digits of the bytes' SHA-256.</summary>
    public string Version { get; } = version;

    public string ETag { get; } = $"\"{version}\"";
}
