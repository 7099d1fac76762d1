using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

public class IncomingTagTests
{
    private static GatewayConfigBuilder Config(string trust) =>
        RuleHarness.Config(Match("vip", "gray", Header("x-user-id", "Exact", "1001")))
            .Set("Lanes:IncomingTag:Trust", trust)
            .Set("Lanes:IncomingTag:TrustedNetworks", Strings("10.0.0.0/8"));

    [Fact]
    public void TrustNone_ClientTag_IsRemovedAndRulesRun()
    {
        var snapshot = Config("None").BuildSnapshot();
        var request = Requests.WithHeaders(("x-mse-tag", "gray"));

        var decision = snapshot.Decide(request);

        decision.Should().BeSameAs(LaneDecision.Baseline);
        request.Request.Headers.ContainsKey("x-mse-tag").Should().BeFalse();
    }

    [Fact]
    public void TrustNone_ClientTagAndMatchingRule_RuleDecides()
    {
        var snapshot = Config("None").BuildSnapshot();

        var decision = snapshot.Decide(Requests.WithHeaders(("x-mse-tag", "blue"), ("x-user-id", "1001")));

        (decision.Tag, decision.Reason).Should().Be(("gray", LaneReason.Match));
    }

    [Fact]
    public void TrustAll_KnownTag_IsKeptAndRulesSkipped()
    {
        var snapshot = Config("All").BuildSnapshot();

        var decision = snapshot.Decide(Requests.WithHeaders(("x-mse-tag", "gray"), ("x-user-id", "7")));

        (decision.Tag, decision.LaneName, decision.Reason).Should().Be(("gray", "vip", LaneReason.IncomingTag));
    }

    /// <summary>
    /// A trusted <c>base</c> is the baseline, as a pinned lane makes it: before, it was a lane named base, stamped on to
    /// every service and counted as a fallback when no destination carried that lane.
    /// </summary>
    [Fact]
    public void TrustAll_BaseTag_IsTheBaselineUntagged()
    {
        var snapshot = Config("All").BuildSnapshot();

        var decision = snapshot.Decide(Requests.WithHeaders(("x-mse-tag", "base"), ("x-user-id", "1001")));

        (decision.Tag, decision.Reason).Should().Be(((string?)null, LaneReason.IncomingTag));
    }

    [Fact]
    public void TrustAll_TagNoLaneNames_IsStillUsed()
    {
        var snapshot = Config("All").BuildSnapshot();

        var decision = snapshot.Decide(Requests.WithHeaders(("x-mse-tag", "dev-alice"), ("x-user-id", "1001")));

        (decision.Tag, decision.Reason).Should().Be(("dev-alice", LaneReason.IncomingTag));
    }

    [Theory]
    [InlineData("gray blue")]
    [InlineData("gray\u00e9")]
    [InlineData("")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void TrustAll_MalformedTag_IsRemovedAndRulesRun(string tag)
    {
        var snapshot = Config("All").BuildSnapshot();
        var request = Requests.WithHeaders(("x-mse-tag", tag), ("x-user-id", "1001"));

        var decision = snapshot.Decide(request);

        (decision.Tag, decision.Reason).Should().Be(("gray", LaneReason.Match));
        request.Request.Headers.ContainsKey("x-mse-tag").Should().BeFalse();
    }

    [Fact]
    public void TrustAll_RepeatedTagHeader_IsRemoved()
    {
        var snapshot = Config("All").BuildSnapshot();

        var decision = snapshot.Decide(Requests.WithHeaders(("x-mse-tag", "gray"), ("x-mse-tag", "blue")));

        decision.Should().BeSameAs(LaneDecision.Baseline);
    }

    [Theory]
    [InlineData("10.1.2.3", "dev-bob")]
    [InlineData("203.0.113.5", "base")]
    public void TrustNetworks_KeepsTagOnlyFromTrustedNetworks(string client, string expected)
    {
        var snapshot = Config("Networks").BuildSnapshot();

        var tag = snapshot.TagFor(Requests.Create(remoteIp: client, headers: ("x-mse-tag", "dev-bob")));

        tag.Should().Be(expected);
    }

    [Fact]
    public void CustomTagHeader_IsTheOneTrustedAndRemoved()
    {
        var snapshot = Config("None").Set("Lanes:TagHeader", "x-lane").BuildSnapshot();
        var request = Requests.WithHeaders(("x-lane", "gray"), ("x-mse-tag", "gray"));

        snapshot.Decide(request);

        request.Request.Headers.ContainsKey("x-lane").Should().BeFalse();
        request.Request.Headers.ContainsKey("x-mse-tag").Should().BeTrue("only the configured tag header is the lane tag");
    }
}
