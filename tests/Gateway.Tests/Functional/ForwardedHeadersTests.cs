using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// Exactly which headers the gateway adds, removes and passes through, as the README's Security section states them,
/// checked against a backend that answers with every request header it received.
/// </summary>
public class ForwardedHeadersTests
{
    [Fact]
    public async Task Proxy_LaneRequest_AddsTheTagAndForwardedHeadersRemovesTheClientsTagAndPassesTheRest()
    {
        await using var backend = await HeaderEchoBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-gray-1", backend.Url, "gray")
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001")));
        await using var gateway = await TestGateway.StartAsync(config);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/1");
        request.Headers.Add("x-user-id", "1001");
        request.Headers.Add("x-mse-tag", "blue");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add("x-custom", "kept");
        request.Headers.Host = "shop.example";

        using var response = await gateway.Client.SendAsync(request);
        var received = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        // Trace context (traceparent) is added only while a trace listener is active, which another test in this process may start.
        received.Keys.Where(k => !k.StartsWith("trace", StringComparison.OrdinalIgnoreCase)).Should().BeEquivalentTo(
            ["Host", "x-user-id", "x-custom", "x-mse-tag", "baggage", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"]);
        received["x-mse-tag"].Should().Be("gray", "the client's tag is removed and the lane's stamped");
        received["baggage"].Replace(" ", "", StringComparison.Ordinal).Should().Be("lane=gray", "the lane is also written into W3C baggage");
        received["X-Forwarded-For"].Should().Be("127.0.0.1", "YARP replaces X-Forwarded-For with the client's address");
        (received["X-Forwarded-Proto"], received["X-Forwarded-Host"]).Should().Be(("http", "shop.example"));
        received["Host"].Should().Be(new Uri(backend.Url).Authority, "the backend sees its own address as Host");
        (received["x-user-id"], received["x-custom"]).Should().Be(("1001", "kept"));
        response.Headers.GetValues("Server").Should().Equal(["backend/1.0"], "the backend's Server header passes through");
        response.Headers.GetValues("x-served-lane").Should().Equal(["gray"], "the backend's x-served-lane passes through");
        response.Headers.GetValues("x-backend").Should().Equal(["kept"]);
    }

    [Fact]
    public async Task Proxy_GatewaysOwnAnswer_HasNoServerHeader()
    {
        await using var gateway = await TestGateway.StartAsync(new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-1", "http://127.0.0.1:1/"));

        using var response = await gateway.Client.GetAsync("/nowhere");

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        response.Headers.Contains("Server").Should().BeFalse();
    }

    /// <summary>
    /// The city header is believed only from a trusted proxy; from anyone else it once passed through to the backend,
    /// where a service, or a gateway behind this one that trusts it as a proxy, would take the forged city as the
    /// client's.
    /// </summary>
    [Theory]
    [InlineData(null, false)]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("127.0.0.1", true)]
    public async Task Proxy_CityHeader_PassesOnlyFromATrustedProxy(string? trustedProxy, bool passes)
    {
        await using var backend = await HeaderEchoBackend.StartAsync();
        var config = new GatewayConfigBuilder().Route("orders").Destination("orders", "orders-1", backend.Url);
        if (trustedProxy is not null)
        {
            config.Set("Lanes:ClientIp:TrustedProxies", new System.Text.Json.Nodes.JsonArray(trustedProxy));
        }

        await using var gateway = await TestGateway.StartAsync(config);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/1");
        request.Headers.Add("X-Client-Ip-City", "guangzhou,guangdong,cn");
        request.Headers.Add("x_client_ip_city", "shenzhen,guangdong,cn");

        using var response = await gateway.Client.SendAsync(request);
        var received = JsonSerializer.Deserialize<Dictionary<string, string>>(await response.Content.ReadAsStringAsync())!;

        received.ContainsKey("X-Client-Ip-City").Should().Be(passes);
        received.ContainsKey("x_client_ip_city").Should().Be(passes);
    }

    /// <summary>
    /// A response header with UTF-8 bytes (obs-text, which HTTP allows: a file name, say) once made the gateway answer
    /// 502: HttpClient reads such bytes as Latin-1, and Kestrel refused to write anything but ASCII.
    /// </summary>
    [Fact]
    public async Task Proxy_ResponseHeaderWithUtf8Bytes_PassesThroughUnchanged()
    {
        const string FileName = "attachment; filename=\"caf\u00e9 \u5317\u4eac.pdf\"";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.UTF8);
        await using var backend = builder.Build();
        backend.Run(context =>
        {
            context.Response.Headers["x-file"] = FileName;
            return Task.CompletedTask;
        });
        await backend.StartAsync();
        var url = backend.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
        await using var gateway = await TestGateway.StartAsync(new GatewayConfigBuilder().Route("files").Destination("files", "files-1", url));
        using var client = new HttpClient(new SocketsHttpHandler { ResponseHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 }) { BaseAddress = gateway.Client.BaseAddress };

        using var response = await client.GetAsync("/files/1");

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        response.Headers.GetValues("x-file").Should().Equal(FileName);
    }

    /// <summary>A backend that answers with the request headers it received, and sets Server, x-served-lane and x-backend.</summary>
    private sealed class HeaderEchoBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private HeaderEchoBackend(WebApplication app, string url) => (_app, Url) = (app, url);

        public string Url { get; }

        public static async Task<HeaderEchoBackend> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
            var app = builder.Build();
            app.Run(context =>
            {
                context.Response.Headers.Server = "backend/1.0";
                context.Response.Headers["x-served-lane"] = "gray";
                context.Response.Headers["x-backend"] = "kept";
                var headers = new Dictionary<string, string>();
                foreach (var header in context.Request.Headers)
                {
                    headers[header.Key] = header.Value.ToString();
                }

                return context.Response.WriteAsJsonAsync(headers);
            });
            await app.StartAsync();
            var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/";
            return new HeaderEchoBackend(app, url);
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();
    }
}
