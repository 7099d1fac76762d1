using System.Diagnostics;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// A real Prometheus scrapes a gateway serving lane, fallback, rejected, escaping and abandoned traffic, and a replica
/// that is down; escapes are counted exactly, and every PromQL expression shipped in deploy/ (dashboard panels and
/// variables, alert rules) returns the series it should.
/// </summary>
public sealed class PrometheusIntegrationTests(PrometheusIntegrationTests.Fixture fixture) : IClassFixture<PrometheusIntegrationTests.Fixture>
{
    private readonly LaneTrafficScenario _scenario = fixture.Scenario;
    private readonly PrometheusServer _prometheus = fixture.Prometheus;
    private readonly Uri _deadReplica = fixture.DeadReplica;

    [Fact]
    public async Task Prometheus_CountsEachEscapeKindExactly()
    {
        var laneToBaseline = await _prometheus.QueryAsync($$"""sum(gateway_lane_escapes_total{route="{{_scenario.Shop}}", kind="lane_to_baseline"})""");
        var upstream = await _prometheus.QueryAsync($$"""sum(gateway_lane_escapes_total{route="{{_scenario.Echo}}", kind="upstream", served_lane="blue"})""");
        var baselineToLane = await _prometheus.QueryAsync($$"""sum(gateway_lane_escapes_total{route=~"{{_scenario.Prefix}}-.*", kind="baseline_to_lane"})""");

        laneToBaseline.Single().Value.Should().Be(LaneTrafficScenario.Expected("shop", "gray"));
        upstream.Single().Value.Should().Be(LaneTrafficScenario.Expected("echo", "gray"));
        baselineToLane.Should().BeEmpty("no untagged request reached a lane destination");
    }

    [Theory]
    [InlineData("fallback", "shop", "blue")]
    [InlineData("rejected", "shop", "red")]
    [InlineData("escaped", "shop", "gray")]
    [InlineData("lane", "echo", "gray")]
    [InlineData("no_baseline", "lanes", null)]
    [InlineData("drained", "drain", "gray")]
    public async Task Prometheus_CountsDecisionsExactly(string decision, string route, string? lane)
    {
        var result = await _prometheus.QueryAsync($$"""sum(gateway_lane_requests_total{route="{{_scenario.Prefix}}-{{route}}", decision="{{decision}}"})""");

        result.Single().Value.Should().Be(LaneTrafficScenario.Expected(route, lane));
    }

    [Fact]
    public async Task Dashboard_EveryQueryReturnsSeries()
    {
        var queries = DeployQueries.Dashboard(rateInterval: "1m");
        queries.Should().HaveCountGreaterThanOrEqualTo(10);

        foreach (var (title, expr) in queries)
        {
            var result = await _prometheus.QueryAsync(expr);
            result.Should().NotBeEmpty("panel '{0}' ({1}) should show this gateway's traffic", title, expr);
        }
    }

    [Fact]
    public async Task Dashboard_TrafficSplit_ShowsEveryLaneOfTheScenario()
    {
        var expr = DeployQueries.Dashboard("1m").First(q => q.Expr.StartsWith("sum by (lane) (rate(gateway_lane_requests_total", StringComparison.Ordinal)).Expr;

        var lanes = (await _prometheus.QueryAsync(expr.Replace("route=~\".*\"", "route=~\"" + _scenario.Prefix + "-.*\"", StringComparison.Ordinal)))
            .Select(r => r.Labels["lane"]);

        lanes.Should().BeEquivalentTo(["base", "gray", "blue", "red", "green"]);
    }

    [Fact]
    public async Task Dashboard_ErrorRatio_IsByServingLane_WithZeroForALaneWithoutErrors()
    {
        var expr = DeployQueries.Dashboard("1m").Single(q => q.Title.StartsWith("5xx error ratio", StringComparison.Ordinal)).Expr;

        var ratios = (await _prometheus.QueryAsync(expr.Replace("route=~\".*\"", "route=~\"" + _scenario.Prefix + "-.*\"", StringComparison.Ordinal)))
            .ToDictionary(r => r.Labels["served_lane"], r => r.Value);

        // gray: the echo instance answers 500 (the shop's gray requests the baseline served are the baseline's);
        // blue: the drain route's instance answers 500; red is never served, and the gateway's 503s are no lane's;
        // green's clients gave up on it (499), which is no 5xx.
        ratios.Should().BeEquivalentTo(new Dictionary<string, double> { ["base"] = 0, ["gray"] = 1, ["blue"] = 1, ["green"] = 0 });
    }

    [Fact]
    public async Task Alerts_FireForTheScenarioExactlyWhereExpected()
    {
        var alerts = DeployQueries.Alerts().ToDictionary(a => a.Alert, a => a.Expr);

        var escaping = await _prometheus.QueryAsync(alerts["LaneTrafficEscaping"]);
        var errors = await _prometheus.QueryAsync(alerts["LaneErrorRatioAboveBaseline"]);
        var noHealthy = await _prometheus.QueryAsync(alerts["LaneHasNoHealthyDestination"]);
        var baselineInLane = await _prometheus.QueryAsync(alerts["BaselineTrafficInLane"]);
        var reloads = await _prometheus.QueryAsync(alerts["ConfigReloadFailing"]);
        var overloaded = await _prometheus.QueryAsync(alerts["GatewayOverloaded"]);

        escaping.Where(r => r.Labels["route"].StartsWith(_scenario.Prefix, StringComparison.Ordinal)).Select(r => (r.Labels["route"], r.Labels["lane"], r.Labels["kind"]))
            .Should().BeEquivalentTo([(_scenario.Shop, "gray", "lane_to_baseline"), (_scenario.Echo, "gray", "upstream")]);
        errors.Where(r => r.Labels["route"].StartsWith(_scenario.Prefix, StringComparison.Ordinal)).Select(r => (r.Labels["route"], r.Labels["lane"]))
            .Should().BeEquivalentTo([(_scenario.Echo, "gray"), (_scenario.Drain, "blue")],
                "the gray echo and the blue drain instance answer 500 while the baseline answers 200 (on the drain route, to lane requests only); the strict red lane's 503s are the gateway's, no destination's");
        noHealthy.Where(r => r.Labels["cluster"].StartsWith(_scenario.Prefix, StringComparison.Ordinal)).Select(r => (r.Labels["cluster"], r.Labels["lane"]))
            .Should().BeEquivalentTo([(_scenario.Shop, "gray")]);

        // Not produced by this traffic (covered by deploy/prometheus/alerts.test.yml): evaluated here to prove they
        // parse against the live metric names and stay quiet.
        baselineInLane.Should().BeEmpty();
        reloads.Should().BeEmpty();
        overloaded.Should().BeEmpty();
    }

    [Fact]
    public async Task Alerts_PlannedDrainOfALanesOnlyInstance_PagesNobody()
    {
        var alerts = DeployQueries.Alerts().ToDictionary(a => a.Alert, a => a.Expr);

        var escaping = await _prometheus.QueryAsync(alerts["LaneTrafficEscaping"]);
        var noHealthy = await _prometheus.QueryAsync(alerts["LaneHasNoHealthyDestination"]);
        var drained = await _prometheus.QueryAsync($$"""sum(gateway_lane_requests_total{route="{{_scenario.Drain}}", lane="gray", decision="drained"})""");

        escaping.Should().NotContain(r => r.Labels["route"] == _scenario.Drain, "the operator drained the gray instance on purpose");
        noHealthy.Should().NotContain(r => r.Labels["cluster"] == _scenario.Drain);
        drained.Single().Value.Should().Be(LaneTrafficScenario.Expected("drain", "gray"), "the drain is still visible, as its own decision");
    }

    [Fact]
    public async Task Alerts_HungLaneWhoseClientsGiveUpFirst_FiresLatencyAlertNotErrorRatio()
    {
        var alerts = DeployQueries.Alerts().ToDictionary(a => a.Alert, a => a.Expr);

        var latency = await _prometheus.QueryAsync(alerts["LaneLatencyAboveBaseline"]);
        var errors = await _prometheus.QueryAsync(alerts["LaneErrorRatioAboveBaseline"]);
        var abandoned = await _prometheus.QueryAsync(
            $$"""sum by (status_class) (gateway_lane_request_duration_seconds_count{route="{{_scenario.Hung}}", served_lane="green"})""");

        abandoned.Select(r => (r.Labels["status_class"], r.Value)).Should().BeEquivalentTo([("4xx", (double)LaneTrafficScenario.Expected("hung", "green"))],
            "every client gave up before the hung instance answered: 499, not 5xx");
        errors.Should().NotContain(r => r.Labels["route"] == _scenario.Hung);
        var slow = latency.Where(r => r.Labels["route"].StartsWith(_scenario.Prefix, StringComparison.Ordinal)).Should().ContainSingle().Subject;
        (slow.Labels["route"], slow.Labels["lane"]).Should().Be((_scenario.Hung, "green"));
        slow.Value.Should().BeGreaterThanOrEqualTo(LaneTrafficScenario.ClientTimeout.TotalSeconds, "the lane's p99 is at least what its clients waited");
    }

    [Fact]
    public async Task Alerts_NewReplicaGuard_SeesThisGatewaysProcessStart()
    {
        const string And = "and on (job, instance)";
        var rule = DeployQueries.Alerts().Single(a => a.Alert == "BaselineTrafficInLane").Expr;
        var guard = rule[(rule.IndexOf(And, StringComparison.Ordinal) + And.Length)..rule.LastIndexOf(')')];
        var started = await _prometheus.QueryAsync($$"""process_start_time_seconds{instance="{{_scenario.Gateway.AdminAddress.Authority}}"}""");
        var young = await _prometheus.QueryAsync(guard);

        // The gateway runs inside the test process, which started minutes ago: the rule must count an escape series of
        // it as new by its start time, as Prometheus has not scraped it 5 minutes back.
        using var process = Process.GetCurrentProcess();
        started.Single().Value.Should().BeApproximately((process.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalSeconds, 1);
        young.Select(r => r.Labels["instance"]).Should().Contain(_scenario.Gateway.AdminAddress.Authority, "guard: {0}", guard);
    }

    [Fact]
    public async Task Alerts_ReplicaNotAnsweringScrapes_FiresReplicaDownForItAlone()
    {
        var alerts = DeployQueries.Alerts().ToDictionary(a => a.Alert, a => a.Expr);

        var replicaDown = await _prometheus.QueryAsync(alerts["GatewayReplicaDown"]);
        var gatewayDown = await _prometheus.QueryAsync(alerts["GatewayDown"]);

        replicaDown.Select(r => (r.Labels["job"], r.Labels["instance"])).Should().BeEquivalentTo([("lanes-gateway", _deadReplica.Authority)]);
        gatewayDown.Should().BeEmpty("the scenario's gateway is up");
    }

    /// <summary>One scenario and one Prometheus for all the tests of the class.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        internal LaneTrafficScenario Scenario { get; private set; } = null!;

        internal PrometheusServer Prometheus { get; private set; } = null!;

        /// <summary>A second replica of the job that is down: nothing listens on its address.</summary>
        internal Uri DeadReplica { get; } = new(BackendSet.DeadAddress());

        public async Task InitializeAsync()
        {
            Scenario = await LaneTrafficScenario.StartAsync();
            Prometheus = await PrometheusServer.StartAsync(Scenario.Gateway.AdminAddress, DeadReplica);
            var requests = $$"""sum(gateway_lane_requests_total{route=~"{{Scenario.Prefix}}-.*"})""";

            // Two waves with scrapes in between, so the counters increase between samples and rate() sees traffic.
            await Scenario.SendWaveAsync(1);
            await Prometheus.WaitForValueAsync(requests, LaneTrafficScenario.WaveTotal(1));
            await Scenario.SendWaveAsync(2);
            await Prometheus.WaitForValueAsync(requests, LaneTrafficScenario.WaveTotal(1) + LaneTrafficScenario.WaveTotal(2));
            await Prometheus.WaitForValueAsync($$"""count(up{instance="{{DeadReplica.Authority}}"} == 0)""", 1);
        }

        public async Task DisposeAsync()
        {
            await Prometheus.DisposeAsync();
            await Scenario.DisposeAsync();
        }
    }
}
