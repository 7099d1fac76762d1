using Lanes.Wire;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Propagation;

public sealed class BaggageHeaderTests
{
    [Theory]
    [InlineData("lane=gray")]
    [InlineData("user=42, lane = gray ;ttl=1,other=x")]
    [InlineData("a=1,lane=gray,lane=gray")]
    public void TryFind_KeyPresent_ReturnsItsValue(string header)
    {
        var found = BaggageHeader.TryFind(new StringValues(header), "lane", out var value);

        found.Should().BeTrue();
        value.ToString().Should().Be("gray");
    }

    [Fact]
    public void TryFind_KeyInSecondLine_ReturnsItsValue()
    {
        var found = BaggageHeader.TryFind(new StringValues(["user=1", "lane=blue"]), "lane", out var value);

        found.Should().BeTrue();
        value.ToString().Should().Be("blue");
    }

    [Theory]
    [InlineData("lane=gray,lane=blue")]
    [InlineData("mylane=gray,laneX=gray")]
    [InlineData("=gray")]
    [InlineData("")]
    public void TryFind_AbsentOrAmbiguous_ReturnsFalse(string header)
    {
        var found = BaggageHeader.TryFind(new StringValues(header), "lane", out _);

        found.Should().BeFalse();
    }

    [Fact]
    public void Merge_ExistingLaneEntry_IsReplacedAndOthersKept()
    {
        var merged = Merge("user=42,lane=blue;p=1", " region=eu ");

        merged.Should().Be("lane=gray,user=42,region=eu");
    }

    /// <summary>Readers that decode keys (OpenTelemetry for .NET, Python, JavaScript) would take these for the lane.</summary>
    [Fact]
    public void Merge_LaneEntryInOtherSpellings_IsReplaced()
    {
        var merged = Merge("l%61ne=blue,LANE=blue", "%6C%61%6E%65+=blue;p=1,user=42,planes=3");

        merged.Should().Be("lane=gray,user=42,planes=3");
    }

    /// <summary>What the outgoing handler does with a request's baggage lines: the lane's entry, then the others'.</summary>
    private static string Merge(params string[] lines)
    {
        var writer = default(BaggageWriter);
        foreach (var line in lines)
        {
            BaggageHeader.AppendOtherMembers(ref writer, line, "lane");
        }

        return writer.Finish("lane=gray");
    }
}
