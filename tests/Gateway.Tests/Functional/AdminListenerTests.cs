using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

public class AdminListenerTests
{
    private static GatewayConfigBuilder Config(string? token = null)
    {
        var config = RuleHarness.Config();
        if (token is not null)
        {
            config.Set("Admin:Token", token);
        }

        return config;
    }

    [Fact]
    public async Task Admin_HealthAndMetrics_AreServedOnTheAdminPortOnly()
    {
        await using var gateway = await TestGateway.StartAsync(Config());

        var live = await gateway.Admin.GetAsync("/healthz/live");
        var metrics = await gateway.Admin.GetAsync("/metrics");
        var publicLive = await gateway.Client.GetAsync("/healthz/live");

        live.StatusCode.Should().Be(HttpStatusCode.OK);
        metrics.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        metrics.Content.Headers.ContentType.Parameters.Should().ContainSingle(p => p.Name == "version").Which.Value.Should().Be("0.0.4");
        (await metrics.Content.ReadAsStringAsync()).Should().Contain("# TYPE gateway_config_reloads_total counter");
        publicLive.StatusCode.Should().Be(HttpStatusCode.NotFound);
        gateway.AdminAddress.Port.Should().NotBe(gateway.Address.Port);
    }

    [Fact]
    public async Task Admin_WithToken_MetricsNeedTheBearerTokenButProbesDoNot()
    {
        await using var gateway = await TestGateway.StartAsync(Config(token: "s3cret"));

        using var anonymous = await gateway.Admin.GetAsync("/metrics");
        using var wrong = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } });
        using var right = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } });
        using var probe = await gateway.Admin.GetAsync("/healthz/ready");

        (anonymous.StatusCode, wrong.StatusCode, right.StatusCode, probe.StatusCode)
            .Should().Be((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.OK));
        anonymous.Headers.WwwAuthenticate.ToString().Should().Be("Bearer");
    }

    [Fact]
    public async Task Admin_MetricsAskedForOpenMetrics_AnswersOpenMetrics()
    {
        await using var gateway = await TestGateway.StartAsync(Config());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Accept.ParseAdd("application/openmetrics-text;version=1.0.0");

        using var response = await gateway.Admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/openmetrics-text");
        body.Should().Contain("gateway_config_reloads_total{result=\"failure\"} 0").And.EndWith("# EOF\n");
    }

    [Fact]
    public async Task Admin_UnknownPath_Is404()
    {
        await using var gateway = await TestGateway.StartAsync(Config());

        using var response = await gateway.Admin.GetAsync("/orders/1");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound, "the admin listener never proxies");
    }
}
