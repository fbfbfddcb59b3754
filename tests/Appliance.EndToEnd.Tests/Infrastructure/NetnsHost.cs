namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A separate host inside this machine: a network namespace joined to the root namespace by a
/// veth pair, the root end at <see cref="RootAddress"/> and the namespace's end at
/// <see cref="Address"/> (a /30), with a default route back through the root end, so the host
/// reaches every address of the root namespace and nothing else. The rate of what the host sends
/// can be capped with tbf (netem, which could add delay, is not in this kernel). Names carry a
/// random tag, so a dispose removes what this object created and nothing else: the namespace,
/// and with it both ends of the pair. Processes started in it must be ended first.
/// </summary>
public sealed class NetnsHost : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private bool _disposed;

    private NetnsHost(string name, string rootDevice, string device, string rootAddress, string address)
    {
        Name = name;
        RootDevice = rootDevice;
        Device = device;
        RootAddress = rootAddress;
        Address = address;
    }

    public string Name { get; }

    /// <summary>The pair's end in the root namespace.</summary>
    public string RootDevice { get; }

    /// <summary>The pair's end in the host's namespace: its egress is what the host sends.</summary>
    public string Device { get; }

    public string RootAddress { get; }

    public string Address { get; }

    /// <summary>The command prefix that runs a program in this host (it execs the program in place).</summary>
    public IReadOnlyList<string> Exec => ["ip", "netns", "exec", Name];

    /// <summary>Creates the host <c>{tag}</c> on the /30 whose first usable addresses are <paramref name="rootAddress"/> and <paramref name="address"/>.</summary>
    public static async Task<NetnsHost> CreateAsync(string tag, string rootAddress, string address)
    {
        // Interface names are at most 15 characters.
        var host = new NetnsHost($"appliance-{tag}", $"aqr{tag}", $"aqn{tag}", rootAddress, address);
        try
        {
            await MustAsync("ip", "netns", "add", host.Name);
            await MustAsync("ip", "link", "add", host.RootDevice, "type", "veth", "peer", "name", host.Device);
            await MustAsync("ip", "link", "set", host.Device, "netns", host.Name);
            await MustAsync("ip", "addr", "add", $"{rootAddress}/30", "dev", host.RootDevice);
            await MustAsync("ip", "link", "set", host.RootDevice, "up");
            await MustAsync([.. host.Exec, "ip", "link", "set", "lo", "up"]);
            await MustAsync([.. host.Exec, "ip", "addr", "add", $"{address}/30", "dev", host.Device]);
            await MustAsync([.. host.Exec, "ip", "link", "set", host.Device, "up"]);
            await MustAsync([.. host.Exec, "ip", "route", "add", "default", "via", rootAddress]);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>
    /// A /24 of 10.200.0.0/16 (as "10.200.N") that no interface here has an address in, so hosts
    /// made on it cannot collide with another run's.
    /// </summary>
    public static async Task<string> FreeSubnetAsync()
    {
        for (int tries = 0; tries < 32; tries++)
        {
            var subnet = $"10.200.{Random.Shared.Next(256)}";
            await using var process = await ExternalProcess.RunAsync(CommandTimeout, "ip", "-o", "addr", "show", "to", $"{subnet}.0/24");
            if (process.ExitCode == 0 && string.IsNullOrWhiteSpace(process.Stdout))
            {
                return subnet;
            }
        }
        throw new InvalidOperationException("no free /24 in 10.200.0.0/16 after 32 tries");
    }

    /// <summary>
    /// Caps what the host sends at <paramref name="rate"/> (tc syntax, such as "1mbit") with tbf:
    /// a small bucket, so a burst (a keyframe) waits for the rate too, and a short queue, past
    /// which packets drop and TCP slows down, as on a congested link.
    /// </summary>
    public Task CapAsync(string rate) =>
        MustAsync([.. Exec, "tc", "qdisc", "replace", "dev", Device, "root", "tbf", "rate", rate, "burst", "8kb", "latency", "100ms"]);

    /// <summary>Back to the default queue, uncapped.</summary>
    public Task UncapAsync() => MustAsync([.. Exec, "tc", "qdisc", "del", "dev", Device, "root"]);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        // Each step on its own: one that fails (the pair was never made) must not keep the others from running.
        await RunAsync("ip", "netns", "del", Name);
        await RunAsync("ip", "link", "del", RootDevice);
    }

    private static async Task MustAsync(params string[] command)
    {
        var (exitCode, stderr) = await RunAsync(command);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"`{string.Join(' ', command)}` exited {exitCode}: {stderr.Trim()}");
        }
    }

    private static async Task<(int ExitCode, string Stderr)> RunAsync(params string[] command)
    {
        await using var process = await ExternalProcess.RunAsync(CommandTimeout, command[0], command[1..]);
        return (process.ExitCode, process.Stderr);
    }
}
