using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

public sealed class LanesMetricsTests
{
    [Fact]
    public void Name_EveryDecision_HasItsOwnLabel()
    {
        var names = Enum.GetValues<LaneCallDecision>().Select(LanesMetrics.Name).ToList();

        names.Should().OnlyHaveUniqueItems().And.Equal("baseline", "lane", "fallback", "escaped", "rejected");
    }
}
