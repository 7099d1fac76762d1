using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>
/// A backend whose responses go wrong after they started: on a path ending in <c>/stall</c> it sends its status and
/// headers, then no body until the request is abandoned; on <c>/cut</c> it promises 1,000 bytes, sends 10 and drops the
/// connection (an instance dying mid-response); on <c>/hang</c> it sends nothing. Other paths answer 200 <c>ok</c>.
/// </summary>
internal sealed class FaultyBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _waiting;

    private FaultyBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    /// <summary>Requests on <c>/stall</c> and <c>/hang</c> received so far.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public static async Task<FaultyBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new FaultyBackend(app);
        app.Run(async context =>
        {
            var path = context.Request.Path.Value!;
            if (path.EndsWith("/stall", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref backend._waiting);
                context.Response.ContentLength = 4;
                await context.Response.Body.FlushAsync();
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (path.EndsWith("/hang", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref backend._waiting);
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            if (path.EndsWith("/cut", StringComparison.Ordinal))
            {
                context.Response.ContentLength = 1000;
                await context.Response.Body.WriteAsync(new byte[10]);
                await context.Response.Body.FlushAsync();

                // Long enough for the gateway to have passed the start of the response on.
                await Task.Delay(200);
                context.Abort();
                return;
            }

            await context.Response.WriteAsync("ok");
        });
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
