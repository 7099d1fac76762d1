using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Gateway.Tests.Support;

/// <summary>A backend that answers every request after a fixed delay, counting what it received.</summary>
internal sealed class SlowBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _received;

    private SlowBackend(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int Received => Volatile.Read(ref _received);

    public static async Task<SlowBackend> StartAsync(TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var backend = new SlowBackend(app);
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend._received);
            await Task.Delay(delay);
            await context.Response.WriteAsync("done");
        });
        await app.StartAsync();
        backend.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        return backend;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
