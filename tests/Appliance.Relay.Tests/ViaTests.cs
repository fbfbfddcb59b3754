using Appliance.Relay.Urls;
using Appliance.Relay;

namespace Appliance.Relay.Tests;

public sealed class ViaTests
{
    [Fact]
    public void A_pull_query_carries_the_path_so_far_plus_this_node_and_reads_back()
    {
        var query = Via.Query(["edge-1", "mid 2"], "upper");

        Assert.Equal("appliance_via=edge-1,mid%202,upper", query);
        Assert.Equal(["edge-1", "mid 2", "upper"], Via.Parse("token=abc&" + query));
    }

    [Theory]
    [InlineData("appliance_via=a,ME,b", "loop: the request already passed through this node (a -> ME -> b)")]
    [InlineData("appliance_via=a%2Cme", "loop: the request already passed through this node (a -> me)")]
    [InlineData("appliance_via=a,b,c", "too many hops: 3 nodes already (a -> b -> c), the limit is 3")]
    public void A_loop_or_too_many_hops_is_refused(string query, string reason)
    {
        Assert.Equal(reason, Via.Refusal(Via.Parse(query), "me", maxHops: 3));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("appliance_via=")]
    [InlineData("appliance_via=a,b")]
    public void Other_requests_may_pull(string? query)
    {
        Assert.Null(Via.Refusal(Via.Parse(query), "me", maxHops: 3));
    }

    [Fact]
    public void A_hostile_via_list_is_cut_at_64_nodes()
    {
        var query = "appliance_via=" + string.Join(',', Enumerable.Range(0, 10_000));

        Assert.Equal(64, Via.Parse(query).Count);
    }

    [Theory]
    [InlineData("appliance_via=edge1", true)]
    [InlineData("token=abc&appliance_via=edge1%2Cmiddle2", true)]
    [InlineData("appliance_via=", false)]
    [InlineData("token=abc", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_play_request_naming_nodes_is_another_nodes_pull(string? query, bool relay)
    {
        Assert.Equal(relay, Via.IsRelayRequest(query));
    }
}
