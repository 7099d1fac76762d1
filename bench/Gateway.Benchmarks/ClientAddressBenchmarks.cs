using System.Net;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Host.Hosting;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Benchmarks;

/// <summary>
/// The client address of a request that came through trusted proxies (<c>Lanes:ClientIp:TrustedProxies</c>).
/// <list type="bullet">
/// <item><c>Resolve</c>: one walk of X-Forwarded-For (<c>Hops</c> entries, the client leftmost, the others trusted).</item>
/// <item><c>RequestPath</c>: what a proxied request does with it: the per-client share of the request budget takes a
/// place for the client, the lane rules match it against a client network, the place is given back.</item>
/// </list>
/// <c>Peer</c>: the proxy's address as a plain IPv4 listener, or a dual-stack one (<c>::ffff:a.b.c.d</c>), sees it.
/// </summary>
[MemoryDiagnoser]
public class ClientAddressBenchmarks
{
    private readonly Random _random = new(42);
    private GatewaySnapshot _snapshot = null!;
    private OpenFileBudget _budget = null!;
    private HttpContext _context = null!;

    [Params("10.0.0.1", "::ffff:10.0.0.1")]
    public string Peer { get; set; } = "";

    [Params(1, 3)]
    public int Hops { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var root = Configs.Proxy(1);
        var lane = new JsonObject
        {
            ["Name"] = "office", ["Tag"] = "gray",
            ["Match"] = new JsonObject { ["ClientNetworks"] = new JsonArray("203.0.113.0/24") },
        };
        root["Lanes"] = new JsonObject
        {
            ["ClientIp"] = new JsonObject { ["TrustedProxies"] = new JsonArray("10.0.0.0/8") },
            ["Groups"] = new JsonObject { ["g"] = new JsonObject { ["Routes"] = new JsonArray("r0"), ["Lanes"] = new JsonArray(lane) } },
        };
        _snapshot = Configs.Compile(root.ToJsonString());
        _budget = new OpenFileBudget(1_048_576, new OverloadOptions(), new GatewayListeners([], []), new GatewaySnapshotSource(_snapshot),
            NullLogger<OpenFileBudget>.Instance, TimeProvider.System);

        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/r0/x";
        context.Connection.RemoteIpAddress = IPAddress.Parse(Peer);
        var hops = new List<string> { "203.0.113.7" };
        for (var i = 1; i < Hops; i++)
        {
            hops.Add("10.1.1." + Configs.Inv(i));
        }

        context.Request.Headers["X-Forwarded-For"] = string.Join(", ", hops);
        _context = context;

        // The rules must see the forwarded client, or the numbers measure something else.
        if (_snapshot.Clients.ResolveAddress(_context)?.ToString() != "203.0.113.7" || RequestPath() != "gray")
        {
            throw new InvalidOperationException("the benchmark request does not resolve to its forwarded client");
        }
    }

    [Benchmark]
    public IPAddress? Resolve() => _snapshot.Clients.ResolveAddress(_context);

    [Benchmark]
    public string? RequestPath()
    {
        var place = _budget.TryEnter(_context);
        var tag = _snapshot.Decide(_context, "r0", _random).Tag;
        _budget.Exit(place);
        return tag;
    }
}
