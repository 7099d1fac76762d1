using System.Net;
using Gateway.Tests.Support;
using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

/// <summary>Calls from a real service through IHttpClientFactory to real downstream instances found by ServiceDiscovery.</summary>
[Collection(ProcessWideTracing.Name)]
public sealed class LaneRoutingHandlerTests : IAsyncLifetime
{
    private readonly MeasurementCollector _meters = new();
    private HeaderEcho _paymentsBase = null!;
    private HeaderEcho _paymentsGray = null!;
    private HeaderEcho _stockBase = null!;
    private LaneService _service = null!;

    public async Task InitializeAsync()
    {
        _paymentsBase = await HeaderEcho.StartAsync("base");
        _paymentsGray = await HeaderEcho.StartAsync("gray");
        _stockBase = await HeaderEcho.StartAsync("base");
        _service = await LaneService.StartAsync(new()
        {
            ["Lanes:Lane"] = "gray",
            ["Services:payments:http:0"] = _paymentsBase.Url,
            ["Services:payments:gray:0"] = _paymentsGray.Url,
            ["Services:stock:http:0"] = _stockBase.Url,
            ["Services:ledger:http:0"] = _stockBase.Url,
            ["Services:ledger:gray:0"] = HeaderEcho.RefusingUrl(),
            ["Services:audit:http:0"] = _stockBase.Url,
            ["Services:audit:gray:0"] = HeaderEcho.RefusingUrl(),
            ["Services:strict:http:0"] = _stockBase.Url,
            ["Lanes:Services:strict:Fallback"] = "Reject",
            ["Lanes:Services:audit:Fallback"] = "Reject",
            ["Services:down:http:0"] = HeaderEcho.RefusingUrl(),
            ["Services:down:gray:0"] = HeaderEcho.RefusingUrl(),
        }, _meters.Factory);
    }

    [Fact]
    public async Task Send_LaneDeployed_GoesToLaneInstanceWithTagAndBaggage()
    {
        var (response, body) = await _service.GetAsync("/call/payments", ("x-mse-tag", "gray"));

        var reply = HeaderEcho.Reply.Parse(body);
        reply.Should().Be(new HeaderEcho.Reply("gray", "gray", "lane=gray"));
        response.Headers.GetValues("x-served-lane").Should().Equal("gray");
        Calls().Should().ContainSingle().Which.Should().Be(("payments", "gray", "lane"));
    }

    [Fact]
    public async Task Send_WithTracingOn_CarriesTheLaneOnceWithTheCallersOtherBaggage()
    {
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var (_, body) = await _service.GetAsync("/call/payments", ("x-mse-tag", "gray"), ("baggage", "user=42"));

        var reply = HeaderEcho.Reply.Parse(body);
        reply.Lane.Should().Be("gray");
        reply.Baggage.Replace(" ", "", StringComparison.Ordinal).Split(',').Should().BeEquivalentTo(["user=42", "lane=gray"]);
    }

    [Fact]
    public async Task Send_NoLane_GoesToBaselineWithoutTag()
    {
        var (response, body) = await _service.GetAsync("/call/payments");

        HeaderEcho.Reply.Parse(body).Should().Be(new HeaderEcho.Reply("base", "", ""));
        response.Headers.GetValues("x-served-lane").Should().ContainSingle().Which.Should().Be("gray", "an untagged request on a gray instance reports the instance's lane");
        Calls().Should().ContainSingle().Which.Should().Be(("payments", "base", "baseline"));
    }

    [Fact]
    public async Task Send_LaneNotDeployed_FallsBackToBaselineKeepingTag()
    {
        var (response, body) = await _service.GetAsync("/call/stock", ("x-mse-tag", "gray"));

        HeaderEcho.Reply.Parse(body).Should().Be(new HeaderEcho.Reply("base", "gray", "lane=gray"));
        response.Headers.GetValues("x-served-lane").Should().ContainSingle().Which.Should().Be("base",
            "this downstream (not built on the package) reports its own lane after a fallback: the caller counts that as an escape");
        Calls().Should().ContainSingle().Which.Should().Be(("stock", "gray", "fallback"));
    }

    [Fact]
    public async Task Send_LaneInstanceRefuses_EscapesToBaselineAndCounts()
    {
        var (response, body) = await _service.GetAsync("/call/ledger", ("x-mse-tag", "gray"));

        HeaderEcho.Reply.Parse(body).Should().Be(new HeaderEcho.Reply("base", "gray", "lane=gray"));
        response.Headers.GetValues("x-served-lane").Should().Equal("base");
        Calls().Should().ContainSingle().Which.Should().Be(("ledger", "gray", "escaped"));
        _meters.Tags("lanes.client.refused_connections").Should().ContainSingle()
            .Which.Should().Contain("service", "ledger").And.Contain("lane", "gray");
    }

    [Fact]
    public async Task Send_EveryInstanceRefuses_CountsTheCallAndEveryRefusal()
    {
        var (response, _) = await _service.GetAsync("/call/down", ("x-mse-tag", "gray"));

        response.IsSuccessStatusCode.Should().BeFalse();
        Calls().Should().ContainSingle().Which.Should().Be(("down", "gray", "escaped"));
        _meters.Tags("lanes.client.refused_connections").Select(t => (t["service"], t["lane"]))
            .Should().BeEquivalentTo([("down", "gray"), ("down", "base")]);
    }

    [Fact]
    public async Task Send_NoLaneAndTheBaselineRefuses_CountsTheCallAndTheRefusal()
    {
        var (response, _) = await _service.GetAsync("/call/down");

        response.IsSuccessStatusCode.Should().BeFalse();
        Calls().Should().ContainSingle().Which.Should().Be(("down", "base", "baseline"));
        _meters.Tags("lanes.client.refused_connections").Select(t => (t["service"], t["lane"]))
            .Should().ContainSingle().Which.Should().Be(("down", "base"));
    }

    [Fact]
    public async Task Send_StrictServiceWithoutLane_Answers503WithoutCalling()
    {
        var (response, body) = await _service.GetAsync("/call/strict", ("x-mse-tag", "gray"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        body.Should().Contain("lane_unavailable");
        Calls().Should().ContainSingle().Which.Should().Be(("strict", "gray", "rejected"));
    }

    [Fact]
    public async Task Send_StrictServiceLaneRefuses_Answers503()
    {
        var (response, _) = await _service.GetAsync("/call/audit", ("x-mse-tag", "gray"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        Calls().Should().ContainSingle().Which.Should().Be(("audit", "gray", "rejected"));
    }

    [Fact]
    public async Task Send_UnconfiguredLane_IsLabelledOther()
    {
        await _service.GetAsync("/call/payments", ("x-mse-tag", "dev-alice"));

        Calls().Should().ContainSingle().Which.Should().Be(("payments", "other", "fallback"));
        _meters.Tags("lanes.service.requests").Should().ContainSingle().Which.Should().Contain("lane", "other");
    }

    [Fact]
    public async Task Send_CapturedLaneInWorkWithoutExecutionContext_KeepsLane()
    {
        var factory = _service.Services.GetRequiredService<IHttpClientFactory>();
        var captured = default(LaneCapture);
        using (LaneContext.Enter("gray"))
        {
            captured = LaneContext.Capture();
        }

        Task<HeaderEcho.Reply> work;
        using (ExecutionContext.SuppressFlow())
        {
            work = Task.Run(async () =>
            {
                LaneContext.Current.Should().BeNull();
                using (captured.Enter())
                {
                    return HeaderEcho.Reply.Parse(await factory.CreateClient().GetStringAsync("http://payments/"));
                }
            });
        }

        var reply = await work;

        reply.Lane.Should().Be("gray");
        LaneContext.Current.Should().BeNull();
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _paymentsBase.DisposeAsync();
        await _paymentsGray.DisposeAsync();
        await _stockBase.DisposeAsync();
        _meters.Dispose();
    }

    private IEnumerable<(string?, string?, string?)> Calls() =>
        _meters.Tags("lanes.client.calls").Select(t => (t["service"], t["lane"], t["decision"]));
}
