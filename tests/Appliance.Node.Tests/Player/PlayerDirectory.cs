namespace Appliance.Node.Tests.Player;

/// <summary>A temporary http.playerDir holding the four scripts, each with text of its own, and a file beside it that must never be served.</summary>
internal sealed class PlayerDirectory : IDisposable
{
    public const string Secret = "not for the web: the file beside the player directory";

    public PlayerDirectory(bool complete = true)
    {
        Root = Directory.CreateTempSubdirectory("appliance-player-").FullName;
        Path = System.IO.Path.Combine(Root, "player");
        Directory.CreateDirectory(Path);
        File.WriteAllText(System.IO.Path.Combine(Root, "secret.txt"), Secret);
        File.WriteAllText(System.IO.Path.Combine(Path, "secret.txt"), Secret);
        if (complete)
        {
            WriteScripts();
        }
    }

    /// <summary>The parent of <see cref="Path"/>, with secret.txt.</summary>
    public string Root { get; }

    public string Path { get; }

    public static string ScriptText(string name) => $"/* {name} */ window.loaded_{name.Replace('.', '_')} = true;\n";

    public void WriteScripts()
    {
        foreach (var name in Appliance.Node.Player.PlayerFiles.Names)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, name), ScriptText(name));
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
