using Appliance.Relay.Directory;
using Appliance.Streaming.Streams;

namespace Appliance.Relay.Tests.Directory;

public sealed class DirectoryEntryTests
{
    [Theory]
    [InlineData("upper-b rtmp://10.1.2.3:1935/live", "upper-b", "rtmp://10.1.2.3:1935/live")]
    [InlineData("upper-b rtmp://UPPER-B.example/live", "upper-b", "rtmp://upper-b.example:1935/live")]
    [InlineData("n1 http://10.1.2.3:8080/{app}/{stream}.flv", "n1", "http://10.1.2.3:8080/{app}/{stream}.flv")]
    public void A_valid_entry_names_its_node_and_canonical_url(string text, string node, string url)
    {
        Assert.True(DirectoryEntry.TryParse(text, out var entry, out var error), error);

        Assert.Equal(node, entry.Node);
        Assert.Equal(url, entry.Url.ToString());
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("rtmp://10.1.2.3:1935/live", "is not \"node-id url\"")]
    [InlineData(" rtmp://10.1.2.3:1935/live", "is not \"node-id url\"")]
    [InlineData("upper-b", "is not \"node-id url\"")]
    [InlineData("upper-b not-a-url", "has a URL that must start with rtmp://, rtmps://, http://, https:// or srt://")]
    [InlineData("upper-b rtmp://10.1.2.3:1935/live?token=x", "has a URL that must not carry a query")]
    [InlineData("upper-b http://10.1.2.3/live/cam.flv", "has a URL that needs {stream}")]
    [InlineData("upper-b rtmp://10.1.2.3:1935/live\r\nX", "has a URL that contains a control character")]
    [InlineData("up\"per rtmp://10.1.2.3:1935/live", "names a node id with characters")]
    [InlineData("up=per rtmp://10.1.2.3:1935/live", "names a node id with characters")]
    public void Garbage_is_refused_with_the_reason(string text, string problem)
    {
        Assert.False(DirectoryEntry.TryParse(text, out var entry, out var error));

        Assert.Null(entry);
        Assert.StartsWith(problem, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_id_longer_than_node_ids_may_be_is_refused()
    {
        Assert.False(DirectoryEntry.TryParse(new string('n', DirectoryEntry.MaxNodeChars + 1) + " rtmp://10.1.2.3/live", out _, out var error));

        Assert.StartsWith("is not \"node-id url\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_name_the_domain_in_lower_case_the_app_and_the_stream()
    {
        Assert.Equal("cdn:stream:example.com/live/Cam", DirectoryEntry.KeyOf("cdn:", new StreamKey("Example.COM", "live", "Cam")));
    }

    [Theory]
    [InlineData("rtmp://10.1.2.3:1935", "live", "rtmp://10.1.2.3:1935/live")]
    [InlineData("rtmp://10.1.2.3/{app}", "sports", "rtmp://10.1.2.3:1935/sports")]
    [InlineData("http://10.1.2.3:8080/{app}/{stream}.flv", "live", "http://10.1.2.3:8080/{app}/{stream}.flv")]
    public void The_advertised_url_of_a_stream_uses_its_app(string advertise, string app, string url)
    {
        Assert.True(AdvertiseUrl.TryParse(advertise, out var parsed, out var error), error);

        Assert.Equal(url, parsed!.For(app));
    }
}
