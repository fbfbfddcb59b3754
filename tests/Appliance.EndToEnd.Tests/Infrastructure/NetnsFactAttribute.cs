using System.Diagnostics;

namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that builds hosts with <c>ip netns</c>, veth pairs and tbf (<see cref="NetnsHost"/>);
/// skipped, with the reason, where the machine does not allow it: not root, no iproute2, or a
/// kernel (or container) that refuses a namespace, a veth pair or tbf. Found out once per run by
/// trying exactly that on a namespace of its own, removed again at once.
/// </summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Refusal = new(Probe);

    public NetnsFactAttribute()
    {
        if (Refusal.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        if (Environment.UserName != "root")
        {
            return $"needs root to create network namespaces (runs as {Environment.UserName})";
        }
        if (!new[] { "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip" }.Any(File.Exists) || !new[] { "/usr/sbin/tc", "/sbin/tc", "/usr/bin/tc" }.Any(File.Exists))
        {
            return "needs ip and tc (iproute2; `make test-deps` installs it)";
        }
        var tag = "p" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant();
        var name = $"appliance-{tag}";
        try
        {
            // Each step only once the one before it worked; the first refusal is the reason.
            var failed = Run("ip", "netns", "add", name)
                ?? Run("ip", "link", "add", $"aqr{tag}", "type", "veth", "peer", "name", $"aqn{tag}")
                ?? Run("ip", "link", "set", $"aqn{tag}", "netns", name)
                ?? Run("ip", "netns", "exec", name, "tc", "qdisc", "add", "dev", $"aqn{tag}", "root", "tbf", "rate", "1mbit", "burst", "8kb", "latency", "100ms");
            return failed is null ? null : $"this machine does not allow network namespaces with veth pairs and tbf: {failed}";
        }
        finally
        {
            Run("ip", "netns", "del", name);
            Run("ip", "link", "del", $"aqr{tag}");
        }
    }

    /// <summary>Runs a command to its end; null when it succeeded, else what it said.</summary>
    private static string? Run(params string[] command)
    {
        using var process = Process.Start(new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            return $"`{string.Join(' ', command)}` did not finish in 10 s";
        }
        return process.ExitCode == 0 ? null : $"`{string.Join(' ', command)}` exited {process.ExitCode}: {stderr.Result.Trim()}";
    }
}
