using System.Diagnostics;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;

namespace Gateway.Tests.Routing;

/// <summary>The gateway's rewrite of a forwarded request's <c>baggage</c>, on the request path of every lane-routed request.</summary>
public sealed class LaneBaggageWriteTests
{
    private readonly LaneBaggage _baggage = new("lane", ["gray"]);

    /// <summary>An untagged request whose client sent baggage without a lane entry goes on as sent, at no cost.</summary>
    [Fact]
    public void Write_UntaggedWithClientBaggageWithoutLane_KeepsItAndAllocatesNothing()
    {
        Activity.Current = null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orders/");
        request.Headers.TryAddWithoutValidation("baggage", "user=42, region=eu");

        var allocated = Allocations.PerCall(() => _baggage.Write(request.Headers, null));

        request.Headers.GetValues("baggage").Should().Equal("user=42, region=eu");
        allocated.Should().Be(0);
    }

    /// <summary>A tagged request: the lane's entry first, then the client's others; the new value is all it allocates.</summary>
    [Fact]
    public void Write_TaggedWithClientBaggage_AllocatesOnlyTheNewValue()
    {
        Activity.Current = null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orders/");
        const string Expected = "lane=gray,user=42,region=eu";

        var allocated = Allocations.PerCall(() =>
        {
            request.Headers.Remove("baggage");
            request.Headers.TryAddWithoutValidation("baggage", "user=42,LANE=blue, region=eu");
            _baggage.Write(request.Headers, "gray");
        });

        request.Headers.GetValues("baggage").Should().Equal(Expected);
        allocated.Should().BeLessThanOrEqualTo(Allocations.PerCall(() => _ = new string(Expected.AsSpan())));
    }

    /// <summary>An untagged request whose client's baggage is only a lane entry: the header goes, nothing is written.</summary>
    [Fact]
    public void Write_UntaggedWithOnlyALaneEntry_RemovesTheHeader()
    {
        Activity.Current = null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orders/");
        request.Headers.TryAddWithoutValidation("baggage", "l%61ne=gray");

        _baggage.Write(request.Headers, null);

        request.Headers.Contains("baggage").Should().BeFalse();
    }
}
