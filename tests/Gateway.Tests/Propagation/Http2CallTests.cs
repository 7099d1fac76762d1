using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.Propagation;

/// <summary>A client that calls over HTTP/2 (h2c, prior knowledge) keeps the lane and the lane's instance.</summary>
public sealed class Http2CallTests
{
    [Fact]
    public async Task Call_OverHttp2_GoesToTheLaneInstanceWithTheLane()
    {
        await using var gray = await StartHttp2InstanceAsync("gray");
        await using var baseline = await StartHttp2InstanceAsync("base");
        await using var service = await LaneService.StartAsync(
            new() { ["Services:payments:http:0"] = baseline.Urls.First(), ["Services:payments:gray:0"] = gray.Urls.First() },
            endpoints: app => app.MapGet("/h2", async (IHttpClientFactory clients) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "http://payments/")
                {
                    Version = System.Net.HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                };
                using var response = await clients.CreateClient().SendAsync(request);
                return await response.Content.ReadAsStringAsync();
            }));

        var (_, body) = await service.GetAsync("/h2", ("x-mse-tag", "gray"));

        body.Should().Be("gray HTTP/2 gray lane=gray");
    }

    private static async Task<WebApplication> StartHttp2InstanceAsync(string lane)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(
            lane + " " + context.Request.Protocol + " " + context.Request.Headers["x-mse-tag"] + " " + context.Request.Headers["baggage"]));
        await app.StartAsync();
        return app;
    }
}
