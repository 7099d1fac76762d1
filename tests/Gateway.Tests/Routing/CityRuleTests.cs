using System.Text.Json.Nodes;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class CityRuleTests
{
    private const string Proxy = "10.0.0.5";

    private static readonly JsonObject Guangdong = new() { ["Cities"] = Strings("Guangdong") };

    private static GatewayConfigBuilder Config(bool withDatabase) =>
        RuleHarness.Config(Match("south", "gray", Guangdong))
            .Set("Lanes:ClientIp:TrustedProxies", Strings("10.0.0.0/8"))
            .Set("Lanes:ClientIp:CityDatabase", withDatabase ? TestData.CitiesSample : null);

    [Theory]
    [InlineData("guangzhou,guangdong,cn", "gray")]
    [InlineData("shenzhen, GUANGDONG ,cn", "gray")]
    [InlineData("hangzhou,zhejiang,cn", "base")]
    [InlineData("guangdongx,cn", "base")]
    public void Match_CityHeaderFromTrustedProxy_MatchesAnyPartIgnoringCase(string city, string expected)
    {
        var snapshot = Config(withDatabase: false).BuildSnapshot();

        var tag = snapshot.TagFor(Requests.Create(remoteIp: Proxy, headers: ("X-Client-Ip-City", city)));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_CityHeaderFromUntrustedPeer_IsIgnored()
    {
        var snapshot = Config(withDatabase: false).BuildSnapshot();

        var tag = snapshot.TagFor(Requests.Create(remoteIp: "192.0.2.9", headers: ("X-Client-Ip-City", "guangzhou,guangdong,cn")));

        tag.Should().Be("base");
    }

    [Theory]
    [InlineData("192.0.2.9", "gray")]
    [InlineData("192.0.2.200", "gray")]
    [InlineData("198.51.100.1", "base")]
    [InlineData("2001:db8:1::42", "gray")]
    [InlineData("2001:db8:2::42", "base")]
    [InlineData("8.8.8.8", "base")]
    public void Match_CityFromDatabase_LooksUpTheClientAddress(string client, string expected)
    {
        var snapshot = Config(withDatabase: true).BuildSnapshot();

        var tag = snapshot.TagFor(Requests.Create(remoteIp: client, headers: ("X-Client-Ip-City", "guangzhou,guangdong,cn")));

        tag.Should().Be(expected);
    }

    [Fact]
    public void Match_CityFromDatabase_UsesForwardedClientBehindTrustedProxy()
    {
        var snapshot = Config(withDatabase: true).BuildSnapshot();

        var tag = snapshot.TagFor(Requests.Create(remoteIp: Proxy, headers: ("X-Forwarded-For", "192.0.2.9")));

        tag.Should().Be("gray");
    }
}
