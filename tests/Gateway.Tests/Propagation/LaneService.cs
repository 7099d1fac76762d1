using System.Diagnostics.Metrics;
using Lanes.Propagation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Propagation;

/// <summary>
/// A service built on the package, on a loopback port: <c>/lane</c> answers <see cref="LaneContext.Current"/>,
/// <c>/call/NAME</c> calls <c>http://NAME/</c> through <see cref="IHttpClientFactory"/> and relays the answer.
/// </summary>
internal sealed class LaneService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LaneService(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        Client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<LaneService> StartAsync(Dictionary<string, string?> config, IMeterFactory? meters = null,
        Action<WebApplication>? endpoints = null, Action<IServiceCollection>? services = null, Action<WebApplication>? before = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(config);
        if (meters is not null)
        {
            builder.Services.AddSingleton(meters);
        }

        builder.Services.AddLanes();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        before?.Invoke(app);
        app.UseLanes();
        app.MapGet("/lane", () => LaneContext.Current ?? "(none)");
        app.MapGet("/call/{service}", async (string service, IHttpClientFactory clients, HttpContext context) =>
        {
            using var response = await clients.CreateClient().GetAsync("http://" + service + "/");
            context.Response.StatusCode = (int)response.StatusCode;
            await context.Response.WriteAsync(await response.Content.ReadAsStringAsync());
        });
        endpoints?.Invoke(app);
        await app.StartAsync();
        return new LaneService(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await Client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
