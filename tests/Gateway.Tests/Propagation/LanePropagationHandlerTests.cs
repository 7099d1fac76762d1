using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

public sealed class LanePropagationHandlerTests
{
    [Fact]
    public void Stamp_ExistingBaggage_MergesLaneAndReplacesForgedOne()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        request.Headers.TryAddWithoutValidation("baggage", "user=42,lane=blue");
        request.Headers.TryAddWithoutValidation("x-mse-tag", "blue");

        LanePropagationHandler.Stamp(request.Headers, "gray", new LaneSettings(new LanesOptions()));

        request.Headers.GetValues("baggage").Should().Equal("user=42,lane=gray");
        request.Headers.GetValues("x-mse-tag").Should().Equal("gray");
    }

    [Fact]
    public void Stamp_CustomKeyAndNoTagHeader_WritesOnlyBaggage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        var settings = new LaneSettings(new LanesOptions { TagHeader = "", Baggage = new LaneBaggageOptions { Key = "x-lane" } });

        LanePropagationHandler.Stamp(request.Headers, "gray", settings);

        request.Headers.Contains("x-mse-tag").Should().BeFalse();
        request.Headers.GetValues("baggage").Should().Equal("x-lane=gray");
    }

    [Fact]
    public void Stamp_ActivityBaggage_IsCarriedAlong()
    {
        using var activity = new System.Diagnostics.Activity("test").AddBaggage("tenant", "a b").Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");

        LanePropagationHandler.Stamp(request.Headers, "gray", new LaneSettings(new LanesOptions()));

        request.Headers.GetValues("baggage").Should().Equal("tenant=a%20b,lane=gray");
    }
}
