using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class ClientNetworkRuleTests
{
    private static readonly JsonObject Office = new() { ["ClientNetworks"] = Strings("10.20.0.0/16", "2001:db8:aa::/48", "198.51.100.7") };

    [Theory]
    [InlineData("10.20.3.4", "gray")]
    [InlineData("10.21.0.1", "base")]
    [InlineData("::ffff:10.20.3.4", "gray")]
    [InlineData("2001:db8:aa:1::5", "gray")]
    [InlineData("2001:db8:ab::5", "base")]
    [InlineData("198.51.100.7", "gray")]
    [InlineData("198.51.100.8", "base")]
    public void Match_ClientAddressInAnyNetwork(string client, string expected)
    {
        var snapshot = RuleHarness.Snapshot(Match("office", "gray", Office));

        var tag = snapshot.TagFor(Requests.Create(remoteIp: client));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_NoClientAddress_DoesNotMatch()
    {
        var snapshot = RuleHarness.Snapshot(Match("office", "gray", Office));

        var tag = snapshot.TagFor(Requests.Create(remoteIp: null));

        tag.Should().Be("base");
    }
}
