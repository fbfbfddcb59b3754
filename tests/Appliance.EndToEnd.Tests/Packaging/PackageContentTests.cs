using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.EndToEnd.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Appliance.EndToEnd.Tests.Packaging;

/// <summary>What the .deb and the .rpm hold, checked without installing them.</summary>
public sealed class PackageContentTests(ITestOutputHelper output)
{
    [PackageFact(PackageNeeds.Lintian)]
    public async Task Lintian_finds_no_errors_in_the_deb()
    {
        var lintian = await BuiltPackages.RunAsync("lintian", BuiltPackages.Deb);
        output.WriteLine(lintian.Stdout);

        var errors = BuiltPackages.Lines(lintian.Stdout).Where(line => line.StartsWith("E:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"lintian errors:\n{string.Join('\n', errors)}");
        Assert.True(lintian.ExitCode == 0, $"lintian exited {lintian.ExitCode}\n{lintian.Stdout}\n{lintian.Stderr}");
    }

    [PackageFact(PackageNeeds.Dpkg)]
    public async Task The_deb_holds_the_programs_config_unit_man_pages_and_docs_and_marks_etc_as_conffiles()
    {
        var deb = BuiltPackages.Deb;
        var contents = (await BuiltPackages.RunAsync("dpkg-deb", "--contents", deb)).Succeeded("dpkg-deb --contents");
        var conffiles = (await BuiltPackages.RunAsync("dpkg-deb", "--info", deb, "conffiles")).Succeeded("dpkg-deb --info conffiles");
        var fields = (await BuiltPackages.RunAsync("dpkg-deb", "--field", deb, "Version", "Section", "Depends")).Succeeded("dpkg-deb --field");

        // "-rwxr-xr-x root/root 7749808 2026-11-24 02:49 ./usr/bin/applianced": files only, by path.
        var files = BuiltPackages.Lines(contents.Stdout).Where(line => line.StartsWith('-')).Select(line => line[(line.LastIndexOf(" ./", StringComparison.Ordinal) + 2)..]);
        Assert.Equal(BuiltPackages.CommonFiles.Concat(BuiltPackages.DebDocFiles).Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        Assert.Equal(BuiltPackages.ConfigFiles, BuiltPackages.Lines(conffiles.Stdout).Order(StringComparer.Ordinal));
        Assert.Contains($"Version: {BuiltPackages.Version}\n", fields.Stdout, StringComparison.Ordinal);
        Assert.Contains("Section: net\n", fields.Stdout, StringComparison.Ordinal);
        Assert.Contains("libc6 (>= ", fields.Stdout, StringComparison.Ordinal);
        Assert.Contains("libssl3", fields.Stdout, StringComparison.Ordinal);
        Assert.Contains("libsrt1.5-openssl | libsrt1.5-gnutls", fields.Stdout, StringComparison.Ordinal);
    }

    [PackageFact(PackageNeeds.Rpm)]
    public async Task The_rpm_lists_exactly_the_programs_config_unit_man_pages_and_license()
    {
        var rpm = BuiltPackages.Rpm;
        var list = (await BuiltPackages.RunAsync("rpm", "-qlp", rpm)).Succeeded("rpm -qlp");
        var config = (await BuiltPackages.RunAsync("rpm", "-qcp", rpm)).Succeeded("rpm -qcp");
        var version = (await BuiltPackages.RunAsync("rpm", "-qp", "--queryformat", "%{VERSION}", rpm)).Succeeded("rpm -qp --queryformat");
        var requires = (await BuiltPackages.RunAsync("rpm", "-qp", "--requires", rpm)).Succeeded("rpm -qp --requires");
        output.WriteLine(list.Stdout);

        Assert.Equal(BuiltPackages.CommonFiles.Concat(BuiltPackages.RpmOnlyEntries).Order(StringComparer.Ordinal), BuiltPackages.Lines(list.Stdout).Order(StringComparer.Ordinal));
        Assert.Equal(BuiltPackages.ConfigFiles, BuiltPackages.Lines(config.Stdout).Order(StringComparer.Ordinal));
        Assert.Equal(BuiltPackages.Version, version.Stdout.Trim());
        Assert.Contains("srt-libs", BuiltPackages.Lines(requires.Stdout));
    }

    /// <summary>
    /// packaging/appliance.json is written by hand, with comments for operators. Each value it
    /// sets equals the embedded default (so it cannot drift from `--print-default`), except the
    /// three settings the packaged service needs and the publish allow list (only this machine
    /// publishes until the operator opens it); whether the daemon accepts the file and what the
    /// allow list does is checked by <see cref="PackagedConfigTests"/>.
    /// </summary>
    [Fact]
    public async Task The_packaged_config_sets_the_embedded_defaults_except_the_service_paths_and_the_publish_allow_list()
    {
        var printed = await ExternalProcess.RunAsync(TimeSpan.FromSeconds(20), RepoPaths.Daemon, "--print-default");
        var defaults = JsonNode.Parse(printed.Stdout)!;
        var packaged = JsonNode.Parse(
            await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "packaging", "appliance.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var serviceSettings = new Dictionary<string, JsonNode>
        {
            ["$.log.accessFile"] = "/var/log/appliance/access.log",
            ["$.control.socket"] = "/run/appliance/control.sock",
            ["$.admin.listen"] = "127.0.0.1:9135",
            ["$.domains[0].apps[0].auth.publish.ip.allow"] = new JsonArray("127.0.0.1", "::1"),
        };
        var compared = new List<string>();
        var differences = new List<string>();

        Compare(packaged, defaults, "$");

        foreach (var (path, value) in serviceSettings)
        {
            Assert.True(JsonNode.DeepEquals(value, ValueAt(packaged, path)), $"{path}: {ValueAt(packaged, path)?.ToJsonString() ?? "missing"}, expected {value.ToJsonString()}");
        }
        Assert.True(differences.Count == 0, $"packaging/appliance.json differs from --print-default:\n{string.Join('\n', differences)}");
        Assert.Contains("$.rtmp.listen", compared);
        Assert.Contains("$.domains[0].apps[0].hls.targetDurationMs", compared);

        void Compare(JsonNode? mine, JsonNode? theirs, string path)
        {
            if (serviceSettings.ContainsKey(path))
            {
                return;
            }
            switch (mine)
            {
                case JsonObject obj when theirs is JsonObject defaultObj:
                    foreach (var (key, value) in obj)
                    {
                        // A key the default does not print: the daemon's --check-config judges it.
                        if (defaultObj.TryGetPropertyValue(key, out var defaultValue))
                        {
                            Compare(value, defaultValue, $"{path}.{key}");
                        }
                    }
                    break;
                case JsonArray array when theirs is JsonArray defaultArray && array.Count == defaultArray.Count:
                    for (var i = 0; i < array.Count; i++)
                    {
                        Compare(array[i], defaultArray[i], $"{path}[{i}]");
                    }
                    break;
                default:
                    compared.Add(path);
                    if (!JsonNode.DeepEquals(mine, theirs))
                    {
                        differences.Add($"{path}: {mine?.ToJsonString() ?? "null"}, default {theirs?.ToJsonString() ?? "null"}");
                    }
                    break;
            }
        }
    }

    /// <summary>The node at a key path such as "$.domains[0].apps[0].auth", or null.</summary>
    private static JsonNode? ValueAt(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var step in path.Split('.').Skip(1))
        {
            var bracket = step.IndexOf('[', StringComparison.Ordinal);
            node = node?[bracket < 0 ? step : step[..bracket]];
            if (bracket >= 0)
            {
                node = node?[int.Parse(step[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)];
            }
        }
        return node;
    }

    /// <summary>
    /// Both packages say once, at first install, that only this machine may publish and how to
    /// open it; the lines are the same in both, and name the addresses the packaged config allows.
    /// </summary>
    [PackageFact(PackageNeeds.Dpkg | PackageNeeds.Rpm)]
    public async Task Both_packages_say_at_install_that_only_this_machine_may_publish()
    {
        var postinst = (await BuiltPackages.RunAsync("dpkg-deb", "--info", BuiltPackages.Deb, "postinst")).Succeeded("dpkg-deb --info postinst");
        var scripts = (await BuiltPackages.RunAsync("rpm", "-qp", "--scripts", BuiltPackages.Rpm)).Succeeded("rpm -qp --scripts");

        foreach (var line in BuiltPackages.PublishNotice)
        {
            Assert.Contains($"echo \"{line}\"", postinst.Stdout, StringComparison.Ordinal);
            Assert.Contains($"echo \"{line}\"", scripts.Stdout, StringComparison.Ordinal);
        }
        var packaged = JsonNode.Parse(
            await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "packaging", "appliance.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var allowed = ValueAt(packaged, "$.domains[0].apps[0].auth.publish.ip.allow")!.AsArray().Select(a => (string)a!).ToList();
        Assert.Contains($"({string.Join(", ", allowed)})", BuiltPackages.PublishNotice[0], StringComparison.Ordinal);
    }
}
