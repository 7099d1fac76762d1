using System.Collections.Concurrent;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

/// <summary>
/// A client with Microsoft.Extensions.Http.Resilience's standard handler (retries), set for every client as .NET
/// Aspire's service defaults do: the lane is kept on every attempt, and a retry may go to the lane's other instance.
/// </summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _attempts = new();
    private WebApplication _failing = null!;
    private WebApplication _healthy = null!;
    private WebApplication _baseline = null!;

    public async Task InitializeAsync()
    {
        _failing = await StartInstanceAsync("failing", 503);
        _healthy = await StartInstanceAsync("healthy", 200);
        _baseline = await StartInstanceAsync("baseline", 200);
    }

    /// <summary>
    /// Each attempt chooses its instance, so a retry after the first gray instance's 503 goes to the second: every call
    /// succeeds, every attempt in the lane. Also with ServiceDiscovery's own handler on the client, as Aspire adds it.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_LaneInstanceAnswers503_RetryGoesToTheLanesOtherInstance(bool addServiceDiscovery)
    {
        using var meters = new MeasurementCollector();
        await using var service = await StartServiceAsync(meters, addServiceDiscovery);

        var results = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (response, body) = await service.GetAsync("/call/payments", ("x-mse-tag", "gray"));
            results.Add((int)response.StatusCode + " " + body);
        }

        results.Should().Equal(Enumerable.Repeat("200 healthy", 4), string.Join(",", _attempts));
        _attempts.Should().OnlyContain(attempt => attempt.EndsWith(":gray", StringComparison.Ordinal));
        meters.Tags("lanes.client.calls").Should().HaveCount(_attempts.Count, "each attempt is a call to the instance it chose")
            .And.OnlyContain(tags => tags["lane"] == "gray" && tags["decision"] == "lane");
    }

    public async Task DisposeAsync()
    {
        await _failing.DisposeAsync();
        await _healthy.DisposeAsync();
        await _baseline.DisposeAsync();
    }

    private Task<LaneService> StartServiceAsync(MeasurementCollector meters, bool addServiceDiscovery) => LaneService.StartAsync(
        new()
        {
            ["Services:payments:http:0"] = _baseline.Urls.First(),
            ["Services:payments:gray:0"] = _failing.Urls.First(),
            ["Services:payments:gray:1"] = _healthy.Urls.First(),
        },
        meters.Factory,
        services: services => services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(options =>
            {
                options.Retry.Delay = TimeSpan.FromMilliseconds(1);
                options.Retry.MaxRetryAttempts = 3;
            });
            if (addServiceDiscovery)
            {
                http.AddServiceDiscovery();
            }
        }));

    private async Task<WebApplication> StartInstanceAsync(string name, int status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            _attempts.Enqueue(name + ":" + context.Request.Headers["x-mse-tag"]);
            context.Response.StatusCode = status;
            return context.Response.WriteAsync(name);
        });
        await app.StartAsync();
        return app;
    }
}
