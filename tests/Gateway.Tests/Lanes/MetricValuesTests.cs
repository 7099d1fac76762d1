using System.Text.RegularExpressions;
using Gateway.Lanes.Diagnostics;
using Gateway.Routing.Tagging;

namespace Gateway.Tests.Lanes;

public class MetricValuesTests
{
    private static readonly Regex SnakeCase = new("^[a-z][a-z0-9_]*$");

    [Fact]
    public void Decision_EveryOutcome_HasItsOwnSnakeCaseValue()
    {
        var values = Enum.GetValues<LaneOutcome>().Where(o => o != LaneOutcome.None).Select(MetricValues.Decision).ToList();

        values.Should().OnlyHaveUniqueItems().And.OnlyContain(v => SnakeCase.IsMatch(v) && v != "unknown");
        values.Should().BeEquivalentTo("lane", "baseline", "fallback", "drained", "escaped", "rejected", "no_baseline");
    }

    [Fact]
    public void Kind_EveryEscapeKind_HasItsOwnSnakeCaseValue()
    {
        var values = Enum.GetValues<EscapeKind>().Select(MetricValues.Kind).ToList();

        values.Should().OnlyHaveUniqueItems().And.OnlyContain(v => SnakeCase.IsMatch(v) && v != "unknown");
        values.Should().BeEquivalentTo("lane_to_baseline", "baseline_to_lane", "upstream");
    }

    [Theory]
    [InlineData(101, "1xx")]
    [InlineData(200, "2xx")]
    [InlineData(302, "3xx")]
    [InlineData(404, "4xx")]
    [InlineData(503, "5xx")]
    [InlineData(99, "other")]
    [InlineData(600, "other")]
    public void StatusClass_MapsByHundreds(int status, string expected)
    {
        MetricValues.StatusClass(status).Should().Be(expected);
    }
}
