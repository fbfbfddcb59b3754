using Appliance.Node.Http;

namespace Appliance.Node.Tests.Http;

public class BrowserAgentTests
{
    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1")]
    public void BrowsersAreBrowsers(string agent) => Assert.True(BrowserAgent.Is(agent));

    [Theory]
    [InlineData("Lavf/59.27.100")]
    [InlineData("libmpv")]
    [InlineData("VLC/3.0.21 LibVLC/3.0.21")]
    [InlineData("GStreamer souphttpsrc 1.22.0 libsoup/3.2.2")]
    [InlineData("curl/7.88.1")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("mozilla/5.0")]
    public void NativePlayersAndToolsAreNot(string? agent) => Assert.False(BrowserAgent.Is(agent));
}
