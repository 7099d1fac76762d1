using Gateway.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Tests.Propagation;

/// <summary>
/// <c>Lanes:PropagateTo</c>: by default every call carries the lane on, as OpenTelemetry carries baggage; with
/// <c>Services</c>, a call to a host the configuration does not name (a third party's API) carries none.
/// </summary>
public sealed class PropagationScopeTests : IAsyncLifetime
{
    private HeaderEchoBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await HeaderEchoBackend.StartAsync();

    [Fact]
    public async Task Call_ByDefault_CarriesTheLaneToAnyHost()
    {
        await using var service = await StartAsync([]);

        var received = await CallAsync(service, ThirdParty());

        received.Should().Contain("x-mse-tag: gray").And.Contain("baggage: lane=gray");
    }

    [Fact]
    public async Task Call_ServicesOnlyToAnotherHost_CarriesNoLane()
    {
        await using var service = await StartAsync(new() { ["Lanes:PropagateTo"] = "Services" });

        var received = await CallAsync(service, ThirdParty());

        received.Should().NotContain(line => line.Contains("gray", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Call_ServicesOnlyToAConfiguredService_CarriesTheLane()
    {
        await using var service = await StartAsync(new() { ["Lanes:PropagateTo"] = "services" });

        var received = await CallAsync(service, "http://payments/");

        received.Should().Contain("x-mse-tag: gray").And.Contain("baggage: lane=gray");
    }

    /// <summary>
    /// HttpClient follows a redirect below the package's handlers, with the headers the package wrote: the host
    /// redirected to receives the call's lane, with <c>Services</c> too (README says so).
    /// </summary>
    [Fact]
    public async Task Call_ServiceRedirectsToAnotherHost_TheRedirectCarriesTheCallsLane()
    {
        await using var redirecting = await RedirectingInstance.StartAsync(ThirdParty());
        await using var service = await StartAsync(new() { ["Lanes:PropagateTo"] = "Services", ["Services:shop:http:0"] = redirecting.Url });

        var received = await CallAsync(service, "http://shop/");

        received.Should().Contain(line => line.StartsWith("Host: localhost", StringComparison.Ordinal)).And.Contain("x-mse-tag: gray");
    }

    [Fact]
    public async Task Start_UnknownScope_Fails()
    {
        var start = () => StartAsync(new() { ["Lanes:PropagateTo"] = "Some" });

        await start.Should().ThrowAsync<InvalidOperationException>();
    }

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    /// <summary>The backend by a host name no configuration names, as a third party's API is.</summary>
    private string ThirdParty() => _backend.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

    private Task<LaneService> StartAsync(Dictionary<string, string?> config)
    {
        config["Services:payments:http:0"] = _backend.Url;
        return LaneService.StartAsync(config, endpoints: app => app.MapGet("/call", async (string url, IHttpClientFactory clients) =>
        {
            using var response = await clients.CreateClient().GetAsync(new Uri(url));
            return await response.Content.ReadAsStringAsync();
        }));
    }

    private static async Task<string[]> CallAsync(LaneService service, string url)
    {
        var (_, body) = await service.GetAsync("/call?url=" + Uri.EscapeDataString(url), ("x-mse-tag", "gray"));
        return body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
