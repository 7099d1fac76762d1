using System.Text.Json.Nodes;

namespace Gateway.Host.Demo;

/// <summary>
/// The embedded demo: two services (orders, users), each with a baseline and a gray instance on loopback ports,
/// and a config with a header rule, a 30 % sticky canary and a lane (blue) that has no instance, to show fallback.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly EchoBackend[] _backends;

    private DemoEnvironment(EchoBackend[] backends, string configJson)
    {
        _backends = backends;
        ConfigJson = configJson;
    }

    public string ConfigJson { get; }

    public static async Task<DemoEnvironment> StartAsync()
    {
        var backends = new[]
        {
            await EchoBackend.StartAsync("orders", "base", "orders-base-1"),
            await EchoBackend.StartAsync("orders", "gray", "orders-gray-1"),
            await EchoBackend.StartAsync("users", "base", "users-base-1"),
            await EchoBackend.StartAsync("users", "gray", "users-gray-1"),
        };
        return new DemoEnvironment(backends, BuildConfig(backends).ToJsonString());
    }

    public string Instructions(string gatewayUrl) => $"""

        Lanes Gateway demo on {gatewayUrl}: services orders and users, each with a baseline and a gray instance.
        Try:
          # 1. header rule: testers 1001 and 1002 go to the gray lane, and the tag travels with the request
          curl -s -H 'x-user-id: 1001' {gatewayUrl}/api/orders/42
          # 2. percentage: 30 % of users (sticky by x-user-id) are in the gray canary
          for u in $(seq 2000 2019); do curl -s -H "x-user-id: $u" {gatewayUrl}/api/users/1; echo; done
          # 3. fallback: the blue lane has no instance, so the baseline answers and still receives x-mse-tag: blue
          curl -s -H 'x-team: blue' {gatewayUrl}/api/orders/42

        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }
    }

    private static JsonObject BuildConfig(EchoBackend[] backends)
    {
        var clusters = new JsonObject();
        foreach (var service in backends.GroupBy(b => b.Service))
        {
            var destinations = new JsonObject();
            foreach (var backend in service)
            {
                var destination = new JsonObject { ["Address"] = backend.Url };
                if (backend.Lane != "base")
                {
                    destination["Metadata"] = new JsonObject { ["lane"] = backend.Lane };
                }

                destinations[backend.Instance] = destination;
            }

            clusters[service.Key] = new JsonObject { ["Destinations"] = destinations };
        }

        return new JsonObject
        {
            ["ReverseProxy"] = new JsonObject
            {
                ["Routes"] = new JsonObject
                {
                    ["orders"] = Route("orders", "/api/orders/{**rest}"),
                    ["users"] = Route("users", "/api/users/{**rest}"),
                },
                ["Clusters"] = clusters,
            },
            ["Lanes"] = JsonNode.Parse("""
                {
                  "Groups": {
                    "demo": {
                      "Routes": [ "orders", "users" ],
                      "Lanes": [
                        { "Name": "testers", "Tag": "gray",
                          "Match": { "Headers": [ { "Name": "x-user-id", "Mode": "Exact", "Values": [ "1001", "1002" ] } ] } },
                        { "Name": "blue-team", "Tag": "blue",
                          "Match": { "Headers": [ { "Name": "x-team", "Values": [ "blue" ] } ] } },
                        { "Name": "canary", "Tag": "gray", "Percentage": 30, "StickyKey": "header:x-user-id" }
                      ]
                    }
                  }
                }
                """),
        };
    }

    private static JsonObject Route(string cluster, string path) =>
        new() { ["ClusterId"] = cluster, ["Match"] = new JsonObject { ["Path"] = path } };
}
