using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Support;

/// <summary>
/// The gateway and a chain of demo services, each its own process, shared by the full-link tests:
/// <c>/shop</c> → web (base, gray) → orders (base only) → payments (base, gray) and ledger (base, gray; strict at orders);
/// <c>/notify</c> → notify (base, reads only baggage; strict for payments) → payments.
/// The gateway puts <c>x-lane: gray</c> in gray and <c>x-lane: blue</c> in blue (deployed nowhere).
/// </summary>
public sealed class FullLinkChain : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    internal GatewayProcess Gateway { get; private set; } = null!;

    internal HttpClient Client { get; private set; } = null!;

    internal ServiceProcess Orders { get; private set; } = null!;

    internal ServiceProcess Web { get; private set; } = null!;

    internal ServiceProcess PaymentsGray { get; set; } = null!;

    private List<ServiceProcess> Others { get; } = [];

    public async Task InitializeAsync()
    {
        var leaves = await Task.WhenAll(
            ServiceProcess.StartAsync("payments", "base"), ServiceProcess.StartAsync("payments", "gray"),
            ServiceProcess.StartAsync("ledger", "base"), ServiceProcess.StartAsync("ledger", "gray"));
        var (paymentsBase, ledgerBase, ledgerGray) = (leaves[0], leaves[2], leaves[3]);
        PaymentsGray = leaves[1];
        Others.AddRange([paymentsBase, ledgerBase, ledgerGray]);
        string[] payments = ["--Services:payments:http:0=" + paymentsBase.Url, "--Services:payments:gray:0=" + PaymentsGray.Url];
        var middle = await Task.WhenAll(
            ServiceProcess.StartAsync("orders", "base", [
                "--call", "payments", "--call", "ledger", .. payments,
                "--Services:ledger:http:0=" + ledgerBase.Url, "--Services:ledger:gray:0=" + ledgerGray.Url,
                "--Lanes:Services:ledger:Fallback=Reject"]),
            ServiceProcess.StartAsync("notify", "base", ["--call", "payments", .. payments, "--Lanes:TagHeader=", "--Lanes:Services:payments:Fallback=Reject"]));
        Orders = middle[0];
        Others.Add(middle[1]);
        string[] orders = ["--call", "orders", "--Services:orders:http:0=" + Orders.Url];
        var web = await Task.WhenAll(ServiceProcess.StartAsync("web", "base", orders), ServiceProcess.StartAsync("web", "gray", orders));
        Others.Add(web[0]);
        Web = web[1];
        var config = new GatewayConfigBuilder()
            .Route("shop").Destination("shop", "web-base-1", web[0].Url).Destination("shop", "web-gray-1", Web.Url, "gray")
            .Route("notify").Destination("notify", "notify-base-1", middle[1].Url)
            .Group("chain", ["shop", "notify"],
                Match("gray", "gray", Header("x-lane", "Exact", "gray")),
                Match("blue", "blue", Header("x-lane", "Exact", "blue")));
        Gateway = await GatewayProcess.StartAsync("--config", _directory.Write("gateway.json", config));
        Client = new HttpClient { BaseAddress = Gateway.Address };
    }

    internal async Task<List<PrometheusText.Sample>> ScrapeAsync(Uri address)
    {
        using var client = new HttpClient();
        return PrometheusText.Parse(await client.GetStringAsync(new Uri(address, "/metrics")));
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        foreach (var process in (IAsyncDisposable?[])[Gateway, Orders, Web, PaymentsGray, .. Others])
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        _directory.Dispose();
    }
}
