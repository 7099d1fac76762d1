using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

[Collection(ProcessWideTracing.Name)]
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

    /// <summary>
    /// A public endpoint of <c>Kestrel:Endpoints</c> on the admin listener's port at another address (both bind) was
    /// taken for the admin listener, which was recognised by its port alone: it served the admin endpoints publicly,
    /// and no proxied request.
    /// </summary>
    [Fact]
    public async Task KestrelEndpointOnTheAdminPortAtAnotherAddress_IsPublic_ServesNoAdminEndpoint()
    {
        using var directory = new TempDirectory();
        var free = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        free.Start();
        var port = ((IPEndPoint)free.LocalEndpoint).Port;
        free.Stop();
        var file = directory.Write("gateway.json", Config().Set("Kestrel:Endpoints:web:Url", "http://127.0.0.2:" + port).ToJson());
        await using var gateway = await GatewayProcess.StartListeningAsync(new Dictionary<string, string>(),
            "--config", file, "--urls", "http://127.0.0.1:0", "--Admin:Urls", "http://127.0.0.1:" + port);
        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.2:" + port) };

        using var config = await client.GetAsync("/admin/config");
        using var metrics = await client.GetAsync("/metrics");
        using var adminClient = new HttpClient { BaseAddress = gateway.AdminAddress };
        using var admin = await adminClient.GetAsync("/admin/config");

        config.StatusCode.Should().NotBe(HttpStatusCode.OK);
        (await config.Content.ReadAsStringAsync()).Should().NotContain("\"revision\"");
        (await metrics.Content.ReadAsStringAsync()).Should().NotContain("gateway_config_reloads_total");
        admin.StatusCode.Should().Be(HttpStatusCode.OK, "the admin listener itself still serves them");
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

    /// <summary>A probe path asked with POST answered 401 (as if a token could help), an admin path 404 (as if it did not exist).</summary>
    [Fact]
    public async Task Admin_KnownPathWithAnotherMethod_Is405_AndAdminPathsStillNeedTheToken()
    {
        await using var gateway = await TestGateway.StartAsync(Config(token: "s3cret"));
        HttpRequestMessage Post(string path, string? token = null) =>
            new(HttpMethod.Post, path) { Headers = { Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token) } };

        using var probe = await gateway.Admin.SendAsync(Post("/healthz/live"));
        using var anonymous = await gateway.Admin.SendAsync(Post("/admin/config"));
        using var authorized = await gateway.Admin.SendAsync(Post("/admin/config", "s3cret"));
        using var metrics = await gateway.Admin.SendAsync(Post("/metrics", "s3cret"));

        (probe.StatusCode, anonymous.StatusCode, authorized.StatusCode, metrics.StatusCode).Should().Be(
            (HttpStatusCode.MethodNotAllowed, HttpStatusCode.Unauthorized, HttpStatusCode.MethodNotAllowed, HttpStatusCode.MethodNotAllowed));
        probe.Content.Headers.Allow.Should().Equal("GET", "HEAD");
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

    /// <summary>With a route taking every path, the admin paths on the public port are the backend's, never the gateway's.</summary>
    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz/ready")]
    [InlineData("/admin/config")]
    public async Task Public_CatchAllRoute_AdminPathsAreProxiedToTheBackend(string path)
    {
        await using var backends = await BackendSet.StartAsync("shop", "base");
        await using var gateway = await TestGateway.StartAsync(backends.AddTo(new GatewayConfigBuilder(), "/{**rest}"));

        var reply = await gateway.Client.GetEchoAsync(path);
        var scrape = await gateway.Admin.GetStringAsync("/metrics");

        (reply.Service, reply.Lane).Should().Be(("shop", "base"));
        scrape.Should().Contain("gateway_lane_requests_total{", "the proxied request is counted, and the admin port still serves the scrape");
    }

    [Fact]
    public async Task Admin_UnknownPath_Is404()
    {
        await using var gateway = await TestGateway.StartAsync(Config());

        using var response = await gateway.Admin.GetAsync("/orders/1");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound, "the admin listener never proxies");
    }

    /// <summary>HTTP/2 only (h2c, for gRPC clients) on the public listener must not make the probes' HTTP/1.1 fail.</summary>
    [Fact]
    public async Task Admin_PublicListenerHttp2Only_AdminKeepsHttp1AndPublicServesH2c()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = orders.AddTo(new GatewayConfigBuilder()).Set("Kestrel:EndpointDefaults:Protocols", "Http2");
        await using var gateway = await TestGateway.StartAsync(config);
        using var h2c = new HttpClient { BaseAddress = gateway.Address, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var probe = await gateway.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/healthz/ready") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var proxied = await h2c.GetAsync("/orders/1");

        (probe.StatusCode, probe.Version).Should().Be((HttpStatusCode.OK, HttpVersion.Version11));
        (proxied.StatusCode, proxied.Version).Should().Be((HttpStatusCode.OK, HttpVersion.Version20));
        (await proxied.Content.ReadAsStringAsync()).Should().Contain("orders");
    }

    /// <summary>The active config as loaded, before and after a reload, without its token ever appearing.</summary>
    [Fact]
    public async Task AdminConfig_ShowsTheActiveConfigWithTheTokenRedacted()
    {
        const string Token = "tok-9f3a1c-never-shown";
        using var directory = new ConfigDirectory(Config(Token).Set("Admin:Urls", "http://127.0.0.1:0").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);
        gateway.Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var before = await gateway.Admin.GetStringAsync("/admin/config");
        directory.Rewrite(Config(Token).Set("Admin:Urls", "http://127.0.0.1:0").Set("Lanes:TagHeader", "x-lane").ToJson());
        var after = await Eventually.ValueAsync(() => gateway.Admin.GetStringAsync("/admin/config"), s => s.Contains("x-lane", StringComparison.Ordinal));

        foreach (var body in new[] { before, after })
        {
            body.Should().NotContain(Token);
            var state = System.Text.Json.JsonDocument.Parse(body).RootElement;
            state.GetProperty("config").GetProperty("Admin").GetProperty("Token").GetString().Should().Be("[redacted]");
            state.GetProperty("config").GetProperty("ReverseProxy").GetProperty("Routes").EnumerateObject().Should().NotBeEmpty();
            state.GetProperty("revision").GetString().Should().NotBeNullOrEmpty();
            state.GetProperty("source").GetString().Should().Be(directory.File);
            state.TryGetProperty("active", out _).Should().BeFalse();
        }

        after.Should().Contain("\"lastReload\":{").And.Contain("\"result\":\"success\"");
    }

    /// <summary>A token is rotated by editing the file: the new one works once the reload applies, the old one no longer.</summary>
    [Fact]
    public async Task AdminToken_ChangedInTheFile_AppliesAtOnce()
    {
        using var directory = new ConfigDirectory(Config("old-token").Set("Admin:Urls", "http://127.0.0.1:0").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        directory.Rewrite(Config("new-token").Set("Admin:Urls", "http://127.0.0.1:0").ToJson());
        await Eventually.ValueAsync(() => Status(gateway, "new-token"), status => status == HttpStatusCode.OK);

        (await Status(gateway, "old-token")).Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<HttpStatusCode> Status(TestGateway gateway, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/config") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        using var response = await gateway.Admin.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A rejected address is quoted in the problem, which the log and <c>/admin/config</c> show: never its password.</summary>
    [Fact]
    public async Task AdminConfig_FailedReloadOfAnAddressWithAPassword_ShowsTheProblemWithoutIt()
    {
        const string Password = "pw-7c2e-never-shown";
        using var directory = new ConfigDirectory(Config().Set("Admin:Urls", "http://127.0.0.1:0").ToJson(), mounted: false);
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File);

        directory.Rewrite(Config().Set("Admin:Urls", "http://127.0.0.1:0")
            .Destination("c", "d", "http://ops:" + Password + "@:notaport/")
            .Set("Telemetry:Otlp:Endpoint", "ftp://otlp:" + Password + "@collector:4317").ToJson());
        var body = await Eventually.ValueAsync(() => gateway.Admin.GetStringAsync("/admin/config"), s => s.Contains("\"failure\"", StringComparison.Ordinal));

        body.Should().NotContain(Password).And.Contain("[redacted]@:notaport").And.Contain("ftp://[redacted]@collector");
    }

    /// <summary>
    /// A password holding '/', '?', '#', a quote or a space once showed in part in the active config, the failed reload's
    /// problems and its log line; the hosts stay readable.
    /// </summary>
    [Fact]
    public async Task AdminConfig_PasswordsWithDelimiters_ShowNoPartOfThemInTheConfigTheProblemsOrTheLog()
    {
        var active = Config().Set("Admin:Urls", "http://127.0.0.1:0")
            .Destination("c", "space", "http://svc:pw-a1 pw-a2@10.0.0.1/")
            .Set("ReverseProxy:Clusters:c:Destinations:space:Metadata", new System.Text.Json.Nodes.JsonObject { ["upstream"] = "http://svc:pw-b1/pw-b2@10.0.0.2/" });
        using var directory = new ConfigDirectory(active.ToJson(), mounted: false);
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartFromFileAsync(directory.File, b => b.Logging.AddProvider(logs));

        directory.Rewrite(Config().Set("Admin:Urls", "http://127.0.0.1:0")
            .Destination("c", "query", "http://svc:pw-c1?pw-c2@10.0.0.3/")
            .Set("Telemetry:Otlp:Endpoint", "http://otel:pw-d1#pw-d2@collector:4317").ToJson());
        var body = await Eventually.ValueAsync(() => gateway.Admin.GetStringAsync("/admin/config"), s => s.Contains("\"failure\"", StringComparison.Ordinal));
        var reloadLog = await Eventually.ValueAsync(() => Task.FromResult(logs.Entries.FirstOrDefault(e => e.EventId.Id == 3001)?.Message), m => m is not null);

        body.Should().NotContain("pw-").And.Contain("http://[redacted]@10.0.0.1/").And.Contain("http://[redacted]@10.0.0.2/")
            .And.Contain("http://[redacted]@10.0.0.3/").And.Contain("http://[redacted]@collector:4317");
        reloadLog.Should().NotContain("pw-").And.Contain("http://[redacted]@10.0.0.3/");
    }
}
