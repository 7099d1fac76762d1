using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

public class ExplainTests
{
    private static GatewayConfigBuilder Config(BackendSet orders) => orders.AddTo(new GatewayConfigBuilder())
        .Group("trade", ["orders"],
            Match("vip", "gray", Header("x-user-id", "Exact", "1001")),
            Percentage("canary", "gray", 30),
            Percentage("blue-canary", "blue", 20, fallback: "Reject"));

    [Fact]
    public async Task AdminExplain_HeaderRule_ShowsRouteConditionTagAndDestinations()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        var result = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?method=GET&path=/orders/1&header=x-user-id:1001&header=x-mse-tag:blue");

        (result.GetProperty("route").GetString(), result.GetProperty("cluster").GetString()).Should().Be(("orders", "orders"));
        result.GetProperty("incomingTag").GetString().Should().Be("removed: IncomingTag:Trust is None");
        var vip = result.GetProperty("lanes")[0];
        (vip.GetProperty("lane").GetString(), vip.GetProperty("result").GetString()).Should().Be(("vip", "taken"));
        var condition = vip.GetProperty("conditions")[0];
        (condition.GetProperty("condition").GetString(), condition.GetProperty("value").GetString(), condition.GetProperty("matched").GetBoolean())
            .Should().Be(("header x-user-id Exact 1001", "1001", true));
        result.GetProperty("stamped").GetString().Should().Be("x-mse-tag: gray");
        var destinations = result.GetProperty("destinations");
        destinations.GetProperty("outcome").GetString().Should().Be("lane");
        destinations.GetProperty("candidates").EnumerateArray().Select(c => c.GetString()).Should().Equal("orders-gray-1");
        destinations.GetProperty("all").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task AdminExplain_PercentageLanes_ShowBucketAndSliceConsistentWithTheDecision()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        await using var gateway = await TestGateway.StartAsync(Config(orders));
        var outcomes = new HashSet<string>();

        for (var user = 0; user < 40; user++)
        {
            var result = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?path=/orders/1&header=x-user-id:u" + user);
            var lanes = result.GetProperty("lanes").EnumerateArray().ToList();
            lanes[0].GetProperty("result").GetString().Should().Be("conditions do not hold");
            foreach (var lane in lanes.Skip(1))
            {
                var draw = lane.GetProperty("percentage");
                var taken = draw.GetProperty("bucket").GetDouble() < draw.GetProperty("threshold").GetDouble();
                lane.GetProperty("result").GetString().Should().Be(taken ? "taken" : "not in its slice");
            }

            if (lanes.Count == 3)
            {
                var second = lanes[2].GetProperty("percentage");
                (second.GetProperty("remaining").GetDouble(), second.GetProperty("threshold").GetDouble()).Should().Be((70, 28.5714), "20 % of what the 30 % lane left");
            }

            var tag = result.GetProperty("decision").GetProperty("tag").GetString();
            var expected = tag switch { "gray" => "lane", "blue" => "rejected", _ => "baseline" };
            result.GetProperty("destinations").GetProperty("outcome").GetString().Should().Be(expected);
            outcomes.Add(expected);
        }

        outcomes.Should().BeEquivalentTo(["lane", "rejected", "baseline"], "40 users reach all three outcomes");
    }

    [Fact]
    public async Task AdminExplain_IsNotOnThePublicListener_AndRejectsBadInput()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        using var publicResponse = await gateway.Client.GetAsync("/admin/explain?path=/orders/1");
        using var bad = await gateway.Admin.GetAsync("/admin/explain?path=orders&clientIp=nope");
        var noRoute = await gateway.Admin.GetFromJsonAsync<JsonElement>("/admin/explain?path=/nowhere");

        publicResponse.StatusCode.Should().Be(HttpStatusCode.NotFound);
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        noRoute.GetProperty("routeMatch").GetString().Should().Be("no route matches GET /nowhere");
    }

    /// <summary>
    /// A destination address with user information once showed whole in explain's destination list (and in the
    /// explain command's output), where /admin/config shows it redacted.
    /// </summary>
    [Fact]
    public async Task AdminExplain_DestinationAddressWithPassword_ShowsTheHostWithoutIt()
    {
        const string Password = "pw-5e1d-never-shown";
        await using var orders = await BackendSet.StartAsync("orders", "base");
        var config = Config(orders).Destination("orders", "orders-gray-1", "http://ops:" + Password + "@127.0.0.1:9/", "gray");
        await using var gateway = await TestGateway.StartAsync(config);

        var body = await gateway.Admin.GetStringAsync("/admin/explain?path=/orders/1&header=x-user-id:1001");

        body.Should().NotContain(Password).And.Contain("http://[redacted]@127.0.0.1:9/");
    }

    [Fact]
    public async Task ExplainCommand_ExampleConfig_ExplainsFallbackWithoutStartingTheGateway()
    {
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync(
            "explain", Path.Combine(RepositoryRoot.Path, "examples", "testers-header.json"), "method=GET&path=/api/orders/9&header=Cookie:account=qa-7");

        exitCode.Should().Be(0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        result.GetProperty("lanes").EnumerateArray().Select(l => (l.GetProperty("lane").GetString(), l.GetProperty("result").GetString()))
            .Should().Equal(("testers", "conditions do not hold"), ("qa-accounts", "taken"));
        result.GetProperty("destinations").GetProperty("candidates").EnumerateArray().Single().GetString().Should().Be("orders-gray-1");
    }

    [Theory]
    [InlineData("/api/orders/1", "'/api/orders/1' is a bare path; write path=/api/orders/1.")]
    [InlineData("path=/api/orders/1&hedaer=x-user-id:42", "unknown key 'hedaer'; did you mean 'header'?")]
    [InlineData("path=/api/orders/1&host=%00", "host '\0' is not a host name.")]
    [InlineData("method=GET%20/x&path=/api/orders/1", "method 'GET /x' is not an HTTP method such as GET.")]
    [InlineData("method=&path=/api/orders/1", "method '' is not an HTTP method such as GET.")]
    public async Task ExplainCommand_MalformedDescription_ExitsTwoListingTheValidForms(string description, string problem)
    {
        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("explain", Path.Combine(RepositoryRoot.Path, "examples", "canary-split.json"), description);

        exitCode.Should().Be(2);
        stderr.Should().Contain(problem).And.Contain("header=NAME:VALUE").And.Contain("clientIp=");
        stdout.Should().BeEmpty();
    }

    [Fact]
    public async Task AdminExplain_UnknownKey_AnswersBadRequestListingTheValidForms()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        using var response = await gateway.Admin.GetAsync("/admin/explain?path=/orders/1&hedaer=x-user-id:1001");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("unknown key 'hedaer'; did you mean 'header'?").And.Contain("header=NAME:VALUE");
    }

    /// <summary>A host the explainer cannot set on its request once failed the admin request with a 500 and a stack trace in the log.</summary>
    [Theory]
    [InlineData("%00")]
    [InlineData("a%01b")]
    public async Task AdminExplain_HostThatIsNotAHostName_AnswersBadRequest(string host)
    {
        await using var orders = await BackendSet.StartAsync("orders", "base");
        await using var gateway = await TestGateway.StartAsync(Config(orders));

        using var response = await gateway.Admin.GetAsync("/admin/explain?path=/orders/1&host=" + host);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is not a host name").And.Contain("host=shop.example");
    }

    /// <summary>A draining destination was shown as usable (YARP's health) beside draining: true, though no request could go to it.</summary>
    [Fact]
    public async Task ExplainCommand_DrainingDestination_IsShownAsDraining_AndTheLaneAsDrained()
    {
        await using var orders = await BackendSet.StartAsync("orders", "base", "gray");
        using var directory = new TempDirectory();
        var file = directory.Write("gateway.json", Config(orders).Set("ReverseProxy:Clusters:orders:Destinations:orders-gray-1:Metadata:draining", "true"));

        var (exitCode, stdout, stderr) = await GatewayProcess.RunToExitAsync("explain", file, "path=/orders/1&header=x-user-id:1001");

        exitCode.Should().Be(0, stderr);
        var destinations = JsonDocument.Parse(stdout).RootElement.GetProperty("destinations");
        destinations.GetProperty("outcome").GetString().Should().Be("drained");
        destinations.GetProperty("all").EnumerateArray().Select(d => (d.GetProperty("id").GetString(), d.GetProperty("health").GetString()))
            .Should().BeEquivalentTo([("orders-base-1", "usable"), ("orders-gray-1", "draining")]);
    }

    [Fact]
    public async Task ExplainCommand_InvalidConfig_ExitsTwo()
    {
        var file = Path.Combine(Path.GetTempPath(), "lanes-explain-" + Guid.NewGuid().ToString("n") + ".json");
        await File.WriteAllTextAsync(file, "{ \"Lanes\": { \"Groups\": { \"g\": { \"Routes\": [ \"none\" ] } } } }");
        try
        {
            var (exitCode, _, stderr) = await GatewayProcess.RunToExitAsync("explain", file, "path=/");

            exitCode.Should().Be(2);
            stderr.Should().Contain("unknown route 'none'");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
