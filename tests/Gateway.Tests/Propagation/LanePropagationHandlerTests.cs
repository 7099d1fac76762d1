using System.Diagnostics;
using Gateway.Tests.Support;
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

        request.Headers.GetValues("baggage").Should().Equal("lane=gray,user=42");
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

        request.Headers.GetValues("baggage").Should().Equal("lane=gray,tenant=a%20b");
    }

    /// <summary>A call outside any lane whose baggage has no lane entry keeps it as it is, and costs nothing.</summary>
    [Fact]
    public void Clear_BaggageWithoutLaneEntry_IsLeftAloneWithoutAllocating()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        request.Headers.TryAddWithoutValidation("baggage", "user=42, region=eu");
        var settings = new LaneSettings(new LanesOptions());

        var allocated = Allocations.PerCall(() => LanePropagationHandler.Clear(request.Headers, settings));

        request.Headers.NonValidated["baggage"].ToString().Should().Be("user=42, region=eu");
        allocated.Should().Be(0);
    }

    /// <summary>A lane no configuration names gets its baggage entry built once, like a configured one.</summary>
    [Fact]
    public void Stamp_UnconfiguredLane_DoesNotAllocate()
    {
        Activity.Current = null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        var settings = new LaneSettings(new LanesOptions { Lane = "gray" });

        var allocated = Allocations.PerCall(() =>
        {
            request.Headers.Remove("baggage");
            LanePropagationHandler.Stamp(request.Headers, "dev-alice", settings);
        });

        request.Headers.GetValues("baggage").Should().Equal("lane=dev-alice");
        request.Headers.GetValues("x-mse-tag").Should().Equal("dev-alice");
        allocated.Should().Be(0);
    }

    /// <summary>Merging the lane into a call's own baggage allocates the new header value and nothing else.</summary>
    [Fact]
    public void Stamp_CallBaggageWithOtherMembers_AllocatesOnlyTheHeaderValue()
    {
        Activity.Current = null;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        var settings = new LaneSettings(new LanesOptions { Lane = "gray" });
        const string Expected = "lane=gray,user=42,region=eu";

        var allocated = Allocations.PerCall(() =>
        {
            request.Headers.Remove("baggage");
            request.Headers.TryAddWithoutValidation("baggage", "user=42,lane=blue, region=eu");
            LanePropagationHandler.Stamp(request.Headers, "gray", settings);
        });

        request.Headers.GetValues("baggage").Should().Equal(Expected);
        allocated.Should().BeLessThanOrEqualTo(StringSize(Expected));
    }

    /// <summary>
    /// A traced request whose caller sent other baggage: the activity's entries are carried on in the new header value,
    /// the only allocation besides reading <see cref="Activity.Baggage"/> (which allocates its enumerator).
    /// </summary>
    [Fact]
    public void Stamp_ActivityBaggageWithOtherMembers_AllocatesOnlyTheHeaderValue()
    {
        using var activity = new Activity("request").AddBaggage("user", "42").AddBaggage("lane", "gray").AddBaggage("tenant", "a b").Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        var settings = new LaneSettings(new LanesOptions { Lane = "gray" });
        const string Expected = "lane=gray,tenant=a%20b,user=42";
        var reading = Allocations.PerCall(() =>
        {
            foreach (var _ in activity.Baggage)
            {
            }
        });

        var allocated = Allocations.PerCall(() =>
        {
            request.Headers.Remove("baggage");
            LanePropagationHandler.Stamp(request.Headers, "gray", settings);
        });

        request.Headers.GetValues("baggage").Should().Equal(Expected);
        allocated.Should().BeLessThanOrEqualTo(reading + StringSize(Expected));
    }

    /// <summary>
    /// A call whose baggage already holds 200 long entries: the lane, written last, was past what OpenTelemetry's reader
    /// takes (180 entries, 8,192 characters), so the next service saw no lane.
    /// </summary>
    [Fact]
    public void Stamp_CallWithLongBaggage_LaneIsReadByAServicesPropagator()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");
        request.Headers.TryAddWithoutValidation("baggage", string.Join(",", Enumerable.Range(0, 200).Select(i => "k" + i + "=" + new string('v', 60))));

        LanePropagationHandler.Stamp(request.Headers, "gray", new LaneSettings(new LanesOptions()));

        var header = string.Join(",", request.Headers.GetValues("baggage"));
        var read = new OpenTelemetry.Context.Propagation.BaggagePropagator()
            .Extract(default, header, (carrier, name) => name == "baggage" ? [carrier] : null).Baggage;
        header.Split(',').Should().HaveCount(201, "the caller's entries all travel on");
        read.GetBaggage("lane").Should().Be("gray");
    }

    /// <summary>Long and non-ASCII entries outgrow the first buffer and are percent-encoded as UTF-8.</summary>
    [Fact]
    public void Stamp_LongActivityBaggage_IsCarriedWhole()
    {
        var long1 = new string('x', 700);
        using var activity = new Activity("request").AddBaggage("note", long1).AddBaggage("city", "Zürich, 北京").Start();
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/");

        LanePropagationHandler.Stamp(request.Headers, "gray", new LaneSettings(new LanesOptions()));

        request.Headers.GetValues("baggage").Should().Equal(
            "lane=gray,city=" + Uri.EscapeDataString("Zürich, 北京") + ",note=" + long1);
    }


    /// <summary>What one string of <paramref name="value"/>'s length takes on the heap, measured the same way.</summary>
    private static long StringSize(string value) => Allocations.PerCall(() => _ = new string(value.AsSpan()));
}
