using System.Diagnostics.Metrics;
using System.Text.Json;
using Lanes.Propagation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry.Metrics;

namespace Gateway.Host.Demo;

/// <summary>
/// A demo service built on Lanes.Propagation: on every request it calls each of its <c>--call</c> services
/// (<c>http://NAME</c> plus the request's path, endpoints from standard configuration) and answers JSON with who
/// it is, the tag it received and each call's answer. The package sets <c>x-served-lane</c>.
/// </summary>
internal sealed class ChainService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChainService(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    /// <summary>
    /// Starts the service. <paramref name="configuration"/> holds standard settings (<c>Services:payments:gray:0</c>,
    /// <c>Lanes:*</c>, <c>urls</c>) as command-line arguments.
    /// </summary>
    public static async Task<ChainService> StartAsync(string service, string lane, string instance, IReadOnlyList<string> calls, string[] configuration)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = configuration });
        builder.Configuration.AddInMemoryCollection([new("Lanes:Lane", lane)]);
        builder.Configuration.AddCommandLine(configuration);
        builder.Logging.ClearProviders();
        builder.Services.AddLanes();
        builder.Services.AddHttpClient();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            // The SDK subscribes to meters by name in the whole process; keep only this service's (the embedded demo
            // runs several services in one process).
            metrics.AddMeter(LanesMetricsNames.MeterName);
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, provider) =>
            {
                var factory = services.GetRequiredService<IMeterFactory>();
                provider.AddView(instrument => instrument.Meter.Scope == factory ? null : MetricStreamConfiguration.Drop);
            });
            metrics.AddPrometheusExporter(prometheus =>
            {
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                prometheus.ScopeInfoEnabled = false;
                prometheus.TargetInfoEnabled = false;
            });
        });
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint("/metrics");
        // Probes must not depend on the services called: a dead dependency would otherwise take this one out of rotation.
        app.Map("/healthz", branch => branch.Run(context => context.Response.WriteAsync("ok")));
        app.UseLanes();
        var tagHeader = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<LanesOptions>>().Value.TagHeader;
        app.Run(async context =>
        {
            var path = context.Request.Path + context.Request.QueryString;
            var replies = new List<ChainReply>(calls.Count);
            var status = StatusCodes.Status200OK;
            foreach (var call in calls)
            {
                var reply = await CallAsync(context.RequestServices.GetRequiredService<IHttpClientFactory>(), call, path, context.RequestAborted);
                status = status == StatusCodes.Status200OK && reply.Status != 0 ? reply.Status : status;
                replies.Add(reply);
            }

            var received = tagHeader.Length == 0 ? null : context.Request.Headers[tagHeader].FirstOrDefault();
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new ChainReply(service, lane, instance, received, path, replies), ChainReply.JsonOptions);
        });
        await app.StartAsync();
        return new ChainService(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static async Task<ChainReply> CallAsync(IHttpClientFactory clients, string service, string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await clients.CreateClient().GetAsync(new Uri("http://" + service + path), cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var reply = TryParse(body) is { Instance: not null } served ? served : new ChainReply(service, null, null, null, null, null) { Error = body };
            return response.IsSuccessStatusCode ? reply : reply with { Status = (int)response.StatusCode };
        }
        catch (HttpRequestException e)
        {
            return new ChainReply(service, null, null, null, null, null) { Status = StatusCodes.Status502BadGateway, Error = e.Message };
        }
    }

    private static ChainReply? TryParse(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<ChainReply>(body, ChainReply.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
