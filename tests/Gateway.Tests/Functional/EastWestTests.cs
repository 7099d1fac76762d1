using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Tests.Propagation;
using Gateway.Tests.Support;

namespace Gateway.Tests.Functional;

/// <summary>
/// examples/east-west.json run for real: a service on Lanes.Propagation calls payments through the internal gateway,
/// which trusts the service's tag and picks the lane's instance.
/// </summary>
public sealed class EastWestTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private HeaderEcho _paymentsBase = null!;
    private HeaderEcho _paymentsGray = null!;
    private TestGateway _gateway = null!;
    private LaneService _service = null!;

    public async Task InitializeAsync()
    {
        _paymentsBase = await HeaderEcho.StartAsync("base");
        _paymentsGray = await HeaderEcho.StartAsync("gray");
        var example = JsonNode.Parse(
            await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "examples", "east-west.json")), null,
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var payments = example["ReverseProxy"]!["Clusters"]!["payments"]!["Destinations"]!;
        payments["payments-base-1"]!["Address"] = _paymentsBase.Url;
        payments["payments-gray-1"]!["Address"] = _paymentsGray.Url;
        example["Lanes"]!["IncomingTag"]!["TrustedNetworks"] = new JsonArray("127.0.0.1/32");
        _gateway = await TestGateway.StartFromFileAsync(_directory.Write("east-west.json", example.ToJsonString()));
        _service = await LaneService.StartAsync(new()
        {
            ["Lanes:Lane"] = "gray",
            ["Services:payments:http:0"] = new Uri(_gateway.Address, "/payments").ToString(),
        });
    }

    [Fact]
    public async Task Call_ThroughInternalGateway_GatewayPicksTheLaneInstance()
    {
        var (_, gray) = await _service.GetAsync("/call/payments", ("x-mse-tag", "gray"));
        var (_, untagged) = await _service.GetAsync("/call/payments");

        var reply = HeaderEcho.Reply.Parse(gray);
        reply.Lane.Should().Be("gray");
        reply.Tag.Should().Be("gray");

        // W3C baggage allows spaces around '='; .NET's propagator writes them when the request has an activity.
        reply.Baggage.Replace(" ", "", StringComparison.Ordinal).Should().Be("lane=gray");
        HeaderEcho.Reply.Parse(untagged).Lane.Should().Be("base");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _gateway.DisposeAsync();
        await _paymentsBase.DisposeAsync();
        await _paymentsGray.DisposeAsync();
        _directory.Dispose();
    }
}
