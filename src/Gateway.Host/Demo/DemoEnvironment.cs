using System.Text.Json.Nodes;

namespace Gateway.Host.Demo;

/// <summary>
/// The embedded demo: a call chain <c>web → orders → payments</c> of services built on Lanes.Propagation, on
/// loopback ports. The gray lane is deployed on <c>web</c> and <c>payments</c> but not on <c>orders</c>, so a gray
/// request stays gray, falls back to the baseline with its tag kept, and re-enters the lane at <c>payments</c>.
/// The gateway config has a header rule, a 30 % sticky canary, and a lane (blue) with no instance anywhere.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly ChainService[] _services;

    private DemoEnvironment(ChainService[] services, string configJson)
    {
        _services = services;
        ConfigJson = configJson;
    }

    public string ConfigJson { get; }

    public static async Task<DemoEnvironment> StartAsync()
    {
        var paymentsBase = await Start("payments", "base", []);
        var paymentsGray = await Start("payments", "gray", []);
        string[] toPayments = ["--Services:payments:http:0=" + paymentsBase.Url, "--Services:payments:gray:0=" + paymentsGray.Url];
        var ordersBase = await Start("orders", "base", ["payments"], toPayments);
        string[] toOrders = ["--Services:orders:http:0=" + ordersBase.Url];
        var webBase = await Start("web", "base", ["orders"], toOrders);
        var webGray = await Start("web", "gray", ["orders"], toOrders);
        return new DemoEnvironment([paymentsBase, paymentsGray, ordersBase, webBase, webGray], BuildConfig(webBase.Url, webGray.Url).ToJsonString());
    }

    public string Instructions(string gatewayUrl, string adminUrl) => $"""

        Lanes Gateway demo on {gatewayUrl}: the chain web -> orders -> payments; the gray lane is deployed on web and
        payments, not on orders. Every answer shows each hop's service, lane, instance and the tag it received.
        Try:
          # 1. testers 1001 and 1002 are gray: web-gray -> orders-base (no gray orders: baseline, tag kept) -> payments-gray (back in the lane)
          curl -s -H 'x-user-id: 1001' {gatewayUrl}/shop/checkout
          # 2. 30 % of users (sticky by x-user-id) are in the gray canary, on every hop where gray is deployed
          for u in $(seq 2000 2019); do curl -s -H "x-user-id: $u" {gatewayUrl}/shop/checkout; echo; done
          # 3. the blue lane has no instance anywhere: every hop is the baseline and still receives x-mse-tag: blue
          curl -s -H 'x-team: blue' {gatewayUrl}/shop/checkout
          # 4. each service reports x-served-lane, the lane its whole sub-chain stayed in: gray here
          curl -s -D - -o /dev/null -H 'x-user-id: 1001' {gatewayUrl}/shop/checkout
          # 5. the gateway's metrics, on the admin listener: requests by lane and decision (lane, baseline, fallback);
          #    a request that escaped its lane anywhere down the chain would also count in gateway_lane_escapes_total
          curl -s {adminUrl}/metrics | grep -E '^gateway_lane_(requests|escapes)_total'

        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services)
        {
            await service.DisposeAsync();
        }
    }

    private static Task<ChainService> Start(string service, string lane, string[] calls, params string[] endpoints) =>
        ChainService.StartAsync(service, lane, service + "-" + lane + "-1", calls, [.. endpoints, "--urls", "http://127.0.0.1:0"]);

    private static JsonObject BuildConfig(string webBase, string webGray) => new()
    {
        ["ReverseProxy"] = JsonNode.Parse($$"""
            {
              "Routes": { "web": { "ClusterId": "web", "Match": { "Path": "/shop/{**rest}" } } },
              "Clusters": { "web": { "Destinations": {
                "web-base-1": { "Address": "{{webBase}}" },
                "web-gray-1": { "Address": "{{webGray}}", "Metadata": { "lane": "gray" } } } } }
            }
            """),
        ["Lanes"] = JsonNode.Parse("""
            {
              "Groups": {
                "demo": {
                  "Routes": [ "web" ],
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
