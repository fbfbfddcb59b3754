using Appliance.Control.Contract;

namespace Appliance.Node.Tests.ControlSocket;

/// <summary>The order in which the daemon places the control socket and appliancectl looks for it (the contract has no test project of its own).</summary>
public class ControlSocketLocationTests
{
    private const string WorkingDirectory = "/home/dev/appliance";

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Under_systemd_the_runtime_directory_is_the_only_place()
    {
        var candidates = ControlSocketLocation.Candidates(
            Environment(("RUNTIME_DIRECTORY", "/run/appliance:/run/other"), ("XDG_RUNTIME_DIR", "/run/user/1000")), WorkingDirectory);

        Assert.Equal(["/run/appliance/control.sock"], candidates);
    }

    [Fact]
    public void Otherwise_run_appliance_then_the_users_runtime_directory_then_run_under_the_working_directory()
    {
        var candidates = ControlSocketLocation.Candidates(Environment(("XDG_RUNTIME_DIR", "/run/user/1000")), WorkingDirectory);

        Assert.Equal(["/run/appliance/control.sock", "/run/user/1000/appliance/control.sock", "/home/dev/appliance/run/control.sock"], candidates);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/dir")]
    public void An_unset_empty_or_relative_XDG_RUNTIME_DIR_is_skipped(string? xdg)
    {
        var candidates = ControlSocketLocation.Candidates(Environment(("XDG_RUNTIME_DIR", xdg!), ("RUNTIME_DIRECTORY", "")), WorkingDirectory);

        Assert.Equal(["/run/appliance/control.sock", "/home/dev/appliance/run/control.sock"], candidates);
    }

    [Fact]
    public void A_client_takes_the_first_candidate_holding_a_socket()
    {
        string[] candidates = ["/a/control.sock", "/b/control.sock", "/c/control.sock"];

        var found = ControlSocketLocation.Find(candidates, path => path switch { "/a/control.sock" => null, "/b/control.sock" => false, _ => true });

        Assert.Equal("/c/control.sock", found);
    }

    [Fact]
    public void Without_any_socket_a_client_takes_the_first_place_it_may_not_look_into()
    {
        string[] candidates = ["/a/control.sock", "/b/control.sock", "/c/control.sock"];

        var found = ControlSocketLocation.Find(candidates, path => path == "/a/control.sock" ? false : null);

        Assert.Equal("/b/control.sock", found);
    }

    [Fact]
    public void With_nothing_anywhere_a_client_finds_nothing()
    {
        Assert.Null(ControlSocketLocation.Find(["/a/control.sock", "/b/control.sock"], _ => false));
    }
}
