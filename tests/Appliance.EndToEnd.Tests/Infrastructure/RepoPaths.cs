namespace Appliance.EndToEnd.Tests.Infrastructure;

internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The AOT daemon that `make build` publishes; APPLIANCED_BIN overrides.</summary>
    public static string Daemon
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("APPLIANCED_BIN");
            if (string.IsNullOrEmpty(path))
            {
                path = Path.Combine(Root, "artifacts", "bin", "applianced");
            }
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"no daemon binary at {path}: run `make build` first (or set APPLIANCED_BIN)");
            }
            return path;
        }
    }

    /// <summary>The AOT control CLI; APPLIANCECTL_BIN overrides.</summary>
    public static string Ctl => Binary("APPLIANCECTL_BIN", "appliancectl");

    /// <summary>The AOT load tool; APPLIANCE_LOAD_BIN overrides.</summary>
    public static string LoadTool => Binary("APPLIANCE_LOAD_BIN", "appliance-load");

    private static string Binary(string variable, string name)
    {
        var path = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrEmpty(path))
        {
            path = Path.Combine(Root, "artifacts", "bin", name);
        }
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"no {name} binary at {path}: run `make build` first (or set {variable})");
        }
        return path;
    }

    /// <summary>Where `make packages` puts the .deb and the .rpm; APPLIANCE_PACKAGES_DIR overrides.</summary>
    public static string Packages
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("APPLIANCE_PACKAGES_DIR");
            return string.IsNullOrEmpty(path) ? Path.Combine(Root, "artifacts", "packages") : path;
        }
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "appliance.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find appliance.sln above the test binaries");
    }
}
