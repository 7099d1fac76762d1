using OpenTelemetry.Context.Propagation;
using Gateway.Tests.Propagation;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>The gateway writes the lane into W3C baggage on forwarded requests, and never passes a client's own.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class LaneBaggageTests : IAsyncLifetime
{
    private HeaderEcho _backend = null!;

    public async Task InitializeAsync() => _backend = await HeaderEcho.StartAsync("base");

    [Fact]
    public async Task Forward_LaneRequest_AddsLaneToSendersBaggage()
    {
        await using var gateway = await StartGatewayAsync();

        var reply = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", "user=42, region=eu"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("user=42,region=eu,lane=gray"));
        reply.Tag.Should().Be("gray");
    }

    [Fact]
    public async Task Forward_UntrustedClientsForgedLane_IsRemovedAndOthersKept()
    {
        await using var gateway = await StartGatewayAsync();

        var reply = await SendAsync(gateway, ("baggage", "lane=gray,user=42"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("user=42"));
        reply.Tag.Should().BeEmpty();
    }

    // OpenTelemetry's .NET, Python and JavaScript propagators percent-decode keys (Python also trims), so each of
    // these reads as "lane" on a service behind the gateway.
    [Theory]
    [InlineData("l%61ne=gray")]
    [InlineData("%6C%61%6E%65=gray")]
    [InlineData("LANE=gray")]
    [InlineData("lane%20=gray")]
    [InlineData("%20lane+=gray;p=1")]
    [InlineData("lane=gray,lane=gray")]
    public async Task Forward_UntrustedClientsLaneInOtherSpelling_IsRemoved(string forged)
    {
        await using var gateway = await StartGatewayAsync();

        var plain = await SendAsync(gateway, ("baggage", forged + ",user=42"));
        var gray = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", "user=42," + forged.Replace("gray", "blue", StringComparison.Ordinal)));

        Entries(plain.Baggage).Should().BeEquivalentTo(Entries("user=42"));
        Entries(gray.Baggage).Should().BeEquivalentTo(Entries("user=42,lane=gray"));
    }

    // An activity's baggage keeps repeated keys, and removing a key removes one of them.
    [Theory]
    [InlineData("l%61ne=gray")]
    [InlineData("LANE=gray")]
    [InlineData("lane=gray,lane=gray")]
    [InlineData("lane=gray,lane=gray,lane=gray")]
    public async Task Forward_WithTracingOn_LaneInOtherSpellingOrRepeatedIsRemoved(string forged)
    {
        await using var gateway = await StartGatewayAsync(config => config.Set("Telemetry:Otlp:Endpoint", HeaderEcho.RefusingUrl()));

        var reply = await SendAsync(gateway, ("baggage", forged + ",user=42"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("user=42"));
    }

    [Fact]
    public async Task Forward_ForgedLaneOnLaneRequest_IsReplacedByDecision()
    {
        await using var gateway = await StartGatewayAsync();

        var reply = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", "lane=blue"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("lane=gray"));
    }

    /// <summary>
    /// OpenTelemetry's baggage reader (as others) stops after 180 members or 8192 characters: the gateway's entry, once
    /// appended after a long baggage of the client's, was dropped and the service saw no lane.
    /// </summary>
    [Fact]
    public async Task Forward_LaneRequestWithLongBaggage_LaneIsReadByAServicesPropagator()
    {
        await using var gateway = await StartGatewayAsync();
        var many = string.Join(",", Enumerable.Range(0, 200).Select(i => "k" + i + "=" + new string('v', 60)));

        var reply = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", many));
        var read = new BaggagePropagator().Extract(default, reply.Baggage, (header, name) => name == "baggage" ? [header] : null).Baggage;

        Entries(reply.Baggage).Should().HaveCount(201, "the client's entries all travel on");
        read.GetBaggage("lane").Should().Be("gray");
    }

    [Fact]
    public async Task Forward_CustomKey_UsesIt()
    {
        await using var gateway = await StartGatewayAsync(config => config.Set("Lanes:Baggage:Key", "x-lane"));

        var reply = await SendAsync(gateway, ("x-lane", "gray"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("x-lane=gray"));
    }

    [Fact]
    public async Task Forward_BaggageDisabled_PassesClientsBaggageUntouched()
    {
        await using var gateway = await StartGatewayAsync(config => config.Set("Lanes:Baggage:Enabled", false));

        var reply = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", "user=42"));

        Entries(reply.Baggage).Should().BeEquivalentTo(Entries("user=42"));
    }

    [Fact]
    public async Task Forward_WithTracingOn_ActivityBaggageCarriesTheDecisionNotTheClientsLane()
    {
        // With tracing on, YARP replaces the baggage header with the activities' baggage, filled from the client's.
        await using var gateway = await StartGatewayAsync(config => config.Set("Telemetry:Otlp:Endpoint", HeaderEcho.RefusingUrl()));

        var forged = await SendAsync(gateway, ("baggage", "lane=gray,user=42"));
        var gray = await SendAsync(gateway, ("x-lane", "gray"), ("baggage", "lane=blue,user=42"));

        // .NET's W3C propagator writes "key = value".
        forged.Baggage.Replace(" ", "", StringComparison.Ordinal).Should().NotContain("lane=").And.Contain("user=42");
        gray.Baggage.Replace(" ", "", StringComparison.Ordinal).Split(',').Should().Contain("lane=gray").And.Contain("user=42").And.NotContain("lane=blue");
    }

    /// <summary>A caller with tracing of its own sends <c>traceparent</c>: OpenTelemetry's instrumentation then keeps its baggage too.</summary>
    [Fact]
    public async Task Forward_WithTracingOnAndCallersTraceparent_CarriesTheDecisionNotTheClientsLane()
    {
        await using var gateway = await StartGatewayAsync(config => config.Set("Telemetry:Otlp:Endpoint", HeaderEcho.RefusingUrl()));
        const string Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        var forged = await SendAsync(gateway, ("traceparent", Traceparent), ("baggage", "lane=gray,user=42"));
        var gray = await SendAsync(gateway, ("traceparent", Traceparent), ("x-lane", "gray"), ("baggage", "lane=blue,user=42"));

        forged.Baggage.Replace(" ", "", StringComparison.Ordinal).Should().NotContain("lane=").And.Contain("user=42");
        gray.Baggage.Replace(" ", "", StringComparison.Ordinal).Split(',').Should().Contain("lane=gray").And.Contain("user=42").And.NotContain("lane=blue");
    }

    [Fact]
    public void Compile_InvalidBaggageKey_IsReportedWithItsPath()
    {
        var problems = Config().Set("Lanes:Baggage:Key", "la ne").Problems();

        problems.Should().ContainSingle().Which.Path.Should().Be("Lanes:Baggage:Key");
    }

    [Fact]
    public void Compile_UnknownBaggageSetting_IsReported()
    {
        var problems = Config().Set("Lanes:Baggage:Kye", "lane").Problems();

        problems.Should().ContainSingle().Which.Path.Should().Be("Lanes:Baggage:Kye");
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private GatewayConfigBuilder Config() => new GatewayConfigBuilder()
        .Route("shop").Destination("shop", "shop-base-1", _backend.Url)
        .Group("g", ["shop"], Match("gray", "gray", Header("x-lane", "Exact", "gray")));

    private Task<TestGateway> StartGatewayAsync(Action<GatewayConfigBuilder>? configure = null)
    {
        var config = Config();
        configure?.Invoke(config);
        return TestGateway.StartAsync(config);
    }

    /// <summary>
    /// A baggage header's entries: W3C baggage allows spaces around <c>=</c> and <c>,</c> and gives the order no meaning,
    /// and whichever writes the header last (the gateway's transform, or .NET's propagator when the request has an
    /// activity) formats it its own way.
    /// </summary>
    private static string[] Entries(string baggage) =>
        [.. baggage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(entry => entry.Replace(" ", "", StringComparison.Ordinal))];

    private static async Task<HeaderEcho.Reply> SendAsync(TestGateway gateway, params (string Name, string Value)[] headers)
    {
        using var response = await gateway.Client.SendAsync(EchoClient.Get("/shop/1", headers));
        response.EnsureSuccessStatusCode();
        return HeaderEcho.Reply.Parse(await response.Content.ReadAsStringAsync());
    }
}
