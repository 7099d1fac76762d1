using System.Globalization;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Routing;

/// <summary>A request tries its group's lanes in order, so a group's lane count is bounded.</summary>
public class LanesPerGroupTests
{
    private static GatewayConfigBuilder WithLanes(int count) =>
        RuleHarness.Config([.. Enumerable.Range(0, count).Select(i => Match("l" + i.ToString(CultureInfo.InvariantCulture), "gray", Header("x-user-id", "Exact", "u" + i.ToString(CultureInfo.InvariantCulture))))]);

    [Fact]
    public void Validate_GroupOverTheLimit_IsAnErrorWithThePath()
    {
        var problems = WithLanes(GatewaySnapshotCompiler.MaxLanesPerGroup + 1).Problems();

        problems.Select(p => p.ToString()).Should().Equal(
            "Lanes:Groups:trade:Lanes: 1001 lanes; a group holds at most 1,000 (every request tries its group's lanes in order): split the routes into more groups");
    }

    [Fact]
    public void Validate_HundredThousandPercentageLanes_OneProblemQuickly()
    {
        // Each percentage lane was checked against every earlier one even past the limit: 100,000 lanes held
        // validate and a reload for minutes.
        var config = RuleHarness.Config([.. Enumerable.Range(0, 100_000).Select(i => Percentage("l" + i.ToString(CultureInfo.InvariantCulture), "gray", 0.0001))]);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var problems = config.Problems();

        problems.Should().ContainSingle().Which.ToString().Should().StartWith("Lanes:Groups:trade:Lanes: 100000 lanes; a group holds at most 1,000");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Validate_ThousandLanesOverAHundredPercent_EachProblemNamesAFewLanes()
    {
        var config = RuleHarness.Config([.. Enumerable.Range(0, 1_000).Select(i => Percentage("l" + i.ToString(CultureInfo.InvariantCulture), "gray", 1))]);

        var problems = config.Problems();

        problems.Should().HaveCount(900);
        problems[^1].ToString().Should().Be(
            "Lanes:Groups:trade:Lanes[999]:Percentage: lanes 'l0', 'l1', 'l2', 996 more and 'l999' take 1000% of the same requests, more than 100");
    }

    [Fact]
    public void Validate_GroupAtTheLimit_IsFine()
    {
        WithLanes(GatewaySnapshotCompiler.MaxLanesPerGroup).Problems().Should().BeEmpty();
    }
}
