using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Propagation;

/// <summary>A downstream instance on a loopback port: answers its lane and the lane headers it received.</summary>
internal sealed class HeaderEcho : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HeaderEcho(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public static async Task<HeaderEcho> StartAsync(string lane, string? servedLane = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(context =>
        {
            context.Response.Headers["x-served-lane"] = servedLane ?? lane;
            return context.Response.WriteAsJsonAsync(new Reply(lane, context.Request.Headers["x-mse-tag"].ToString(), context.Request.Headers["baggage"].ToString()));
        });
        await app.StartAsync();
        return new HeaderEcho(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    /// <summary>An address nothing listens on: connections to it are refused.</summary>
    public static string RefusingUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "http://127.0.0.1:" + port;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    internal sealed record Reply(string Lane, string Tag, string Baggage)
    {
        public static Reply Parse(string json) => JsonSerializer.Deserialize<Reply>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
