using System.Diagnostics;
using Gateway.Tests.Support;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Propagation;

/// <summary>
/// With tracing on, ASP.NET Core copies the caller's baggage onto the request's activity, and .NET's own propagation
/// writes the activity's baggage on every outgoing call. A lane entry the package did not take as the request's lane
/// (in <c>Correlation-Context</c>, which .NET 10's propagator still reads when there is no <c>baggage</c>; in another
/// spelling; or sent twice with different values) must not travel on that way: the next hop would take it as the lane
/// while this one served the request as the baseline.
/// </summary>
[Collection(ProcessWideTracing.Name)]
public sealed class ActivityBaggageTests : IAsyncLifetime
{
    private const string Traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = _ => true,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
    };

    private HeaderEchoBackend _behind = null!;
    private LaneService _front = null!;

    public async Task InitializeAsync()
    {
        ActivitySource.AddActivityListener(_listener);
        _behind = await HeaderEchoBackend.StartAsync();
        _front = await LaneService.StartAsync(new() { ["Services:behind:http:0"] = _behind.Url });
    }

    [Theory]
    [InlineData("Correlation-Context", "lane=gray,user=42")]
    [InlineData("Correlation-Context", "l%61ne=gray,user=42")]
    [InlineData("baggage", "LANE=gray,user=42")]
    [InlineData("baggage", "l%61ne=gray,user=42")]
    [InlineData("baggage", "lane=gray,lane=blue,user=42")]
    public async Task Call_TrustedCallersLaneEntryNotTakenAsTheLane_IsNotCarriedOn(string header, string value)
    {
        var (_, lane) = await _front.GetAsync("/lane", ("traceparent", Traceparent), (header, value));
        var (_, body) = await _front.GetAsync("/call/behind", ("traceparent", Traceparent), (header, value));

        lane.Should().Be("(none)");
        var received = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal) || line.Contains("blue", StringComparison.Ordinal));
        received.Should().Contain(line => line.Replace(" ", "", StringComparison.Ordinal).Contains("user=42", StringComparison.Ordinal),
            "the caller's other entries travel on");
    }

    /// <summary>A lane request's activity holds the lane under its key only: another spelling's value does not travel on beside it.</summary>
    [Fact]
    public async Task Call_LaneRequestWithTheLaneInAnotherSpelling_CarriesOnlyTheLane()
    {
        var (_, body) = await _front.GetAsync("/call/behind", ("traceparent", Traceparent), ("x-mse-tag", "gray"), ("Correlation-Context", "LANE=blue,user=42"));

        var received = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("blue", StringComparison.Ordinal));
        received.Should().Contain("x-mse-tag: gray").And.Contain(line => line.StartsWith("baggage: lane=gray", StringComparison.Ordinal));
    }

    /// <summary>
    /// A service traced with OpenTelemetry's ASP.NET Core and HttpClient instrumentation, as most are: OpenTelemetry keeps
    /// the caller's baggage in a context of its own (<c>Baggage.Current</c>) and writes it on outgoing calls.
    /// </summary>
    [Theory]
    [InlineData("10.0.0.0/8", "baggage", "lane=gray,user=42")]
    [InlineData("10.0.0.0/8", "baggage", "LANE=gray,user=42")]
    [InlineData("", "Correlation-Context", "lane=gray,user=42")]
    [InlineData("", "baggage", "lane=gray,lane=blue,user=42")]
    public async Task Call_WithOpenTelemetryInstrumentation_CarriesOnlyTheDecidedLane(string trusted, string header, string value)
    {
        var config = new Dictionary<string, string?> { ["Services:behind:http:0"] = _behind.Url };
        if (trusted.Length > 0)
        {
            config["Lanes:TrustedNetworks:0"] = trusted;
        }

        await using var traced = await LaneService.StartAsync(config, services: services => services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()));

        var (_, body) = await traced.GetAsync("/call/behind", ("traceparent", Traceparent), (header, value));
        var (_, gray) = await traced.GetAsync("/call/behind", ("traceparent", Traceparent), ("x-mse-tag", "gray"), (header, value.Replace("gray", "blue", StringComparison.Ordinal)));

        var received = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        received.Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal) || line.Contains("blue", StringComparison.Ordinal));
        var grayReceived = gray.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        grayReceived.Should().NotContain(line => line.Contains("blue", StringComparison.Ordinal));
        if (trusted.Length == 0)
        {
            grayReceived.Should().Contain("x-mse-tag: gray");
        }
    }

    /// <summary>
    /// Inside the request, OpenTelemetry's baggage says the request's lane too, so whatever else writes it (a message
    /// producer's instrumentation putting it in a Kafka header) carries that lane and no other.
    /// </summary>
    [Theory]
    [InlineData("10.0.0.0/8", "lane=gray,user=42", null, "user=42")]
    [InlineData("", "LANE=blue,user=42", "gray", "lane=gray,user=42")]
    [InlineData("", "lane=blue,user=42", "gray", "lane=gray,user=42")]
    [InlineData("", "lane=gray,user=42", null, "lane=gray,user=42")]
    public async Task Request_WithOpenTelemetryInstrumentation_BaggageCurrentSaysTheRequestsLane(string trusted, string baggage, string? tag, string expected)
    {
        var config = new Dictionary<string, string?>();
        if (trusted.Length > 0)
        {
            config["Lanes:TrustedNetworks:0"] = trusted;
        }

        await using var traced = await LaneService.StartAsync(config,
            endpoints: app => app.MapGet("/otel-baggage", () => string.Join(',', OpenTelemetry.Baggage.Current.GetBaggage().Select(item => item.Key + "=" + item.Value))),
            services: services => services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation()));

        var (_, body) = tag is null
            ? await traced.GetAsync("/otel-baggage", ("traceparent", Traceparent), ("baggage", baggage))
            : await traced.GetAsync("/otel-baggage", ("traceparent", Traceparent), ("baggage", baggage), ("x-mse-tag", tag));

        body.Should().Be(expected);
    }

    public async Task DisposeAsync()
    {
        await _front.DisposeAsync();
        await _behind.DisposeAsync();
        _listener.Dispose();
    }
}
