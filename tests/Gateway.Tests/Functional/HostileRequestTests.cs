using System.Collections.Concurrent;
using Gateway.Host.Demo;
using Gateway.Tests.Support;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Functional;

/// <summary>
/// 10,000 generated malformed or hostile requests over raw sockets against a real gateway process: it never
/// crashes, never answers 5xx because of itself, and nothing reaches the backend but the requests it answered.
/// </summary>
public sealed class HostileRequestTests : IDisposable
{
    private const int Requests = 10_000;
    private readonly TempDirectory _directory = new();

    /// <summary>Request kinds; <c>Allowed5xx</c> is the protocol's own answer to that malformation, not a gateway fault.</summary>
    private static readonly (string Kind, int? Allowed5xx, Func<Random, int, string> Build)[] Kinds =
    [
        ("valid", null, (_, n) => Get("/orders/" + n, "x-user-id: " + n)),
        ("forged tag", null, (r, n) => Get("/orders/" + n, "x-mse-tag: " + Junk(r, r.Next(1, 120)))),
        ("forged xff", null, (r, n) => Get("/orders/" + n, "X-Forwarded-For: " + r.Next(256) + "." + r.Next(256) + ".0.1, " + Junk(r, 8))),
        ("bare cr", null, (_, n) => Get("/orders/" + n, "x-a: b\rx-mse-tag: gray")),
        ("nul in value", null, (_, n) => Get("/orders/" + n, "x-a: b\0c")),
        ("non-ascii value", null, (_, n) => Get("/orders/" + n, "x-a: caf\u00e9\u00ff")),
        ("space in name", null, (_, n) => Get("/orders/" + n, "x bad: 1")),
        ("no colon", null, (_, n) => Get("/orders/" + n, "xbad")),
        ("huge header", null, (_, n) => Get("/orders/" + n, "x-big: " + new string('a', 70 * 1024))),
        ("many headers", null, (_, n) => Get("/orders/" + n, string.Join("\r\n", Enumerable.Range(0, 150).Select(i => "x-h" + i + ": v")))),
        ("bad method", null, (_, n) => "G@T /orders/" + n + " HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n"),
        ("bad version", 505, (_, n) => "GET /orders/" + n + " HTTP/1.7\r\nHost: gw\r\nConnection: close\r\n\r\n"),
        ("missing host", null, (_, n) => "GET /orders/" + n + " HTTP/1.1\r\nConnection: close\r\n\r\n"),
        ("two hosts", null, (_, n) => "GET /orders/" + n + " HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n"),
        ("cl te smuggle", null, (_, n) => "POST /orders/" + n + " HTTP/1.1\r\nHost: gw\r\nContent-Length: 48\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /orders/smuggled HTTP/1.1\r\nHost: gw\r\n\r\n"),
        ("double cl", null, (_, n) => "POST /orders/" + n + " HTTP/1.1\r\nHost: gw\r\nContent-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd"),
        ("unknown coding", 501, (_, n) => "POST /orders/" + n + " HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: gzip, chunked2\r\nConnection: close\r\n\r\n0\r\n\r\n"),
        ("bad chunk", null, (_, n) => "POST /orders/" + n + " HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"),
        ("long target", null, (_, n) => Get("/orders/" + new string('x', 10 * 1024), "x-n: " + n)),
        ("odd path", null, (r, n) => Get(r.Next(3) switch { 0 => "/orders/%00/" + n, 1 => "/orders/../../etc/passwd", _ => "/orders/%zz" + n }, "x-n: 1")),
        ("garbage", null, (r, _) => Junk(r, r.Next(1, 200)) + "\r\n\r\n"),
    ];

    private static string Get(string path, string header) => "GET " + path + " HTTP/1.1\r\nHost: gw\r\n" + header + "\r\nConnection: close\r\n\r\n";

    private static string Junk(Random random, int length) => new([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(1, 256))]);

    [Fact]
    public async Task TenThousandHostileRequests_NoCrashNoGateway5xxNothingSmuggled()
    {
        await using var backend = await EchoBackend.StartAsync("orders", "base", "orders-base-1", recordPaths: true);
        await using var gray = await EchoBackend.StartAsync("orders", "gray", "orders-gray-1", recordPaths: true);
        var file = _directory.Write("gateway.json", new GatewayConfigBuilder().Route("orders").Destination("orders", backend).Destination("orders", gray)
            .Group("trade", ["orders"], Match("vip", "gray", Header("x-user-id", "Exact", "1001"))).ToJson());
        await using var gateway = await GatewayProcess.StartAsync("--config", file, "--Logging:LogLevel:Default=Warning");
        var statuses = new ConcurrentBag<(string Kind, int? Allowed5xx, int Status)>();
        var okBodies = new ConcurrentBag<string>();
        var random = new Random(20261122);
        var plan = Enumerable.Range(0, Requests).Select(i => (Index: i, Kind: Kinds[random.Next(Kinds.Length)], Seed: random.Next())).ToList();

        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (item, _) =>
        {
            var reply = await RawHttp.SendAsync(gateway.Address.Port, item.Kind.Build(new Random(item.Seed), item.Index), TimeSpan.FromSeconds(15));
            foreach (var status in RawHttp.StatusCodes(reply))
            {
                statuses.Add((item.Kind.Kind, item.Kind.Allowed5xx, status));
            }

            if (reply.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                okBodies.Add(reply);
            }
        });

        var served = await new HttpClient { BaseAddress = gateway.Address }.GetEchoAsync("/orders/after", ("x-user-id", "1001"));
        gateway.Process.HasExited.Should().BeFalse("the gateway survives the run");
        served.Lane.Should().Be("gray", "and still routes lanes afterwards");
        statuses.Where(s => s.Status >= 500 && s.Status != s.Allowed5xx).Should().BeEmpty("no 5xx may come from the gateway itself");
        var ok = statuses.Count(s => s.Status == 200);
        ok.Should().BeGreaterThan(Requests / 10, "valid and forged-but-well-formed requests are served");
        (backend.Requests + gray.Requests).Should().BeGreaterThanOrEqualTo(ok + 1, "every 200 was the backend's answer");

        // Every request a backend saw is one a client sent, at most as often as it was sent (a request whose body
        // turns out malformed mid-stream may have reached the backend before the gateway answered 400), and a
        // request hidden inside another's body never arrives as a request of its own.
        // Paths are compared decoded: the gateway re-escapes a literal '%' it forwards (%zz arrives as %25zz).
        var sent = plan.GroupBy(p => Uri.UnescapeDataString(RequestPath(p.Kind.Build(new Random(p.Seed), p.Index)))).ToDictionary(g => g.Key, g => g.Count());
        var received = backend.Paths.Concat(gray.Paths).Where(p => p != "/orders/after").GroupBy(Uri.UnescapeDataString).ToList();
        received.Should().OnlyContain(g => sent.ContainsKey(g.Key) && g.Count() <= sent[g.Key], "nothing reaches a backend that no client sent");
        backend.Paths.Concat(gray.Paths).Should().NotContain(p => p.Contains("smuggled", StringComparison.Ordinal));
        okBodies.Should().OnlyContain(body => body.Contains("\"receivedTag\":null", StringComparison.Ordinal) || body.Contains("\"receivedTag\":\"gray\"", StringComparison.Ordinal),
            "a forged tag never reaches a backend");
    }

    /// <summary>The request target of a generated request (as the backend would see it), or "" when it has none.</summary>
    private static string RequestPath(string request)
    {
        var line = request.Split("\r\n")[0].Split(' ');
        return line.Length == 3 ? line[1] : "";
    }

    public void Dispose() => _directory.Dispose();
}
