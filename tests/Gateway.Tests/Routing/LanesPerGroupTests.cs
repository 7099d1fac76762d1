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
    public void Validate_GroupAtTheLimit_IsFine()
    {
        WithLanes(GatewaySnapshotCompiler.MaxLanesPerGroup).Problems().Should().BeEmpty();
    }
}
