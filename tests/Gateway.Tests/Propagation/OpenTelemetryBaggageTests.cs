using Gateway.Tests.Support;
using Lanes.Propagation;
using OpenTelemetry;

namespace Gateway.Tests.Propagation;

/// <summary>OpenTelemetry's baggage is corrected only when it would change the lane a call carries.</summary>
public sealed class OpenTelemetryBaggageTests
{
    [Theory]
    [InlineData(null, "", true)]
    [InlineData("gray", "", true)]
    [InlineData(null, "user=42", true)]
    [InlineData("gray", "user=42,lane=gray", true)]
    [InlineData("gray", "user=42", false)]
    [InlineData(null, "user=42,lane=gray", false)]
    [InlineData(null, "LANE=gray", false)]
    [InlineData("gray", "lane=blue", false)]
    [InlineData("gray", "lane=gray,l%61ne=blue", false)]
    public void Agrees_CurrentBaggage_SaysWhetherTheCallsLaneWouldBeKept(string? lane, string baggage, bool expected)
    {
        Baggage.Current = Parse(baggage);
        try
        {
            OpenTelemetryBaggage.Agrees(lane, "lane").Should().Be(expected);
        }
        finally
        {
            Baggage.Current = default;
        }
    }

    [Fact]
    public void Corrected_ForgedLaneInOtherSpellings_KeepsOnlyTheCallsLaneFirst()
    {
        Baggage.Current = Parse("user=42,LANE=blue,lane=blue,region=eu");
        try
        {
            OpenTelemetryBaggage.Corrected("gray", "lane").GetBaggage().Should().Equal(
                new KeyValuePair<string, string>("lane", "gray"), new KeyValuePair<string, string>("user", "42"), new KeyValuePair<string, string>("region", "eu"));
            OpenTelemetryBaggage.Corrected(null, "lane").GetBaggage().Keys.Should().Equal("user", "region");
        }
        finally
        {
            Baggage.Current = default;
        }
    }

    /// <summary>The check on every call of a request whose baggage agrees (the gateway's, traced) allocates nothing.</summary>
    [Fact]
    public void Agrees_LaneRequestWithBaggage_DoesNotAllocate()
    {
        Baggage.Current = Parse("user=42,lane=gray,region=eu");
        try
        {
            var allocated = Allocations.PerCall(() => OpenTelemetryBaggage.Agrees("gray", "lane"));

            allocated.Should().Be(0);
        }
        finally
        {
            Baggage.Current = default;
        }
    }

    private static Baggage Parse(string baggage)
    {
        var items = new Dictionary<string, string>();
        foreach (var member in baggage.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = member.Split('=');
            items[parts[0]] = parts[1];
        }

        return Baggage.Create(items);
    }
}
