using Gateway.Lanes.Diagnostics;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// The status a proxied request is counted and logged with when it ends badly after the destination answered: the
/// lane's error ratio (alert <c>LaneErrorRatioAboveBaseline</c>) must count the destination's failures and not the
/// clients' impatience.
/// </summary>
public sealed class RequestOutcomeTests : IAsyncLifetime
{
    private FaultyBackend _backend = null!;
    private CapturingLoggerProvider _logs = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _backend = await FaultyBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("orders")
            .Destination("orders", "orders-base-1", _backend.Url)
            .Destination("orders", "orders-gray-1", _backend.Url, "gray")
            .Group("trade", ["orders"], Match("testers", "gray", Header("x-user-id", "Exact", "1001")));
        _logs = new CapturingLoggerProvider();
        _gateway = await TestGateway.StartAsync(config, configure: builder => builder.Logging.AddProvider(_logs));
    }

    [Fact]
    public async Task ClientGivesUpAfterTheDestinationsHeaders_Counted499NotAsTheLanes5xx()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/stall");
        request.Headers.Add("x-user-id", "1001");

        // The gateway holds the destination's status and headers until the body's first byte: the client sees nothing.
        await FluentActions.Awaiting(() => GiveUpOnceTheBackendHasItAsync(request)).Should().ThrowAsync<OperationCanceledException>();
        var status = await AccessLogStatusAsync("/orders/stall");
        var samples = PrometheusText.Parse(await _gateway.Admin.GetStringAsync("/metrics"));

        status.Should().Be(499, "the client closed the request; nginx and ASP.NET Core's own metrics say 499, YARP answered 502 to nobody");
        samples.Sum("gateway_lane_request_duration_seconds_count", ("lane", "gray"), ("status_class", "5xx")).Should().Be(0);
        samples.Sum("gateway_lane_request_duration_seconds_count", ("lane", "gray"), ("status_class", "4xx")).Should().Be(1);
    }

    [Fact]
    public async Task ClientGivesUpBeforeTheDestinationAnswers_Counted499()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/hang");

        await FluentActions.Awaiting(() => GiveUpOnceTheBackendHasItAsync(request)).Should().ThrowAsync<OperationCanceledException>();
        var status = await AccessLogStatusAsync("/orders/hang");

        status.Should().Be(499, "YARP's 400 would blame the client's request");
    }

    [Fact]
    public async Task DestinationCutsItsResponseOff_Counted502NotAsA2xx()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/cut");
        request.Headers.Add("x-user-id", "1001");

        await FluentActions.Awaiting(async () =>
        {
            using var response = await _gateway.Client.SendAsync(request);
        }).Should().ThrowAsync<HttpRequestException>("the client gets a cut-off response, not a whole one");
        var status = await AccessLogStatusAsync("/orders/cut");
        var samples = PrometheusText.Parse(await _gateway.Admin.GetStringAsync("/metrics"));

        status.Should().Be(502);
        samples.Sum("gateway_lane_request_duration_seconds_count", ("lane", "gray"), ("status_class", "2xx")).Should().Be(0);
        samples.Sum("gateway_lane_request_duration_seconds_count", ("lane", "gray"), ("status_class", "5xx")).Should().Be(1);
    }

    /// <summary>Sends the request and cancels it once the backend holds it (a loaded machine may take a while to get it there).</summary>
    private async Task GiveUpOnceTheBackendHasItAsync(HttpRequestMessage request)
    {
        using var impatient = new CancellationTokenSource();
        var waiting = _backend.Waiting;
        var sent = _gateway.Client.SendAsync(request, impatient.Token);
        await Eventually.ValueAsync(() => Task.FromResult(_backend.Waiting), n => n > waiting || sent.IsCompleted);
        await impatient.CancelAsync();
        using var response = await sent;
    }

    private async Task<int> AccessLogStatusAsync(string path)
    {
        var entry = await Eventually.ValueAsync(
            () => Task.FromResult(_logs.Entries.FirstOrDefault(e => e.Category == LaneTelemetryMiddleware.AccessLogCategory
                && e.State.Any(p => p.Key == "Path" && (string?)p.Value == path))),
            e => e is not null);
        return (int)entry!.State.Single(p => p.Key == "StatusCode").Value!;
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _backend.DisposeAsync();
        _logs.Dispose();
    }
}
