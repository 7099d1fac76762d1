using System.Text.Json.Nodes;
using Gateway.Host.Demo;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Support;

/// <summary>
/// A gateway whose traffic exercises every decision and escape kind on purpose, on route names unique to this
/// instance (metrics of other in-process gateways never collide with them):
/// <list type="bullet">
/// <item><c>{p}-shop</c>: gray's destination in service is down (active health check), its other one draining: gray
/// requests escape to the baseline; blue has no destination (planned fallback); red has none and is strict (rejected).</item>
/// <item><c>{p}-drain</c>: gray's only destination is draining (a planned drain): gray requests go to the baseline as
/// <c>drained</c>, not an escape; blue's instance answers 500; no untagged traffic, so only lane requests reach the
/// baseline.</item>
/// <item><c>{p}-echo</c>: the gray instance answers 500 and reports lane <c>blue</c> in x-served-lane (upstream escape).</item>
/// <item><c>{p}-lanes</c>: only a gray destination, so untagged requests get no baseline.</item>
/// <item><c>{p}-hung</c>: green's instance never answers, and its clients give up after <see cref="ClientTimeout"/>
/// (at least; until the instance holds them all), long before the gateway's timeout (recorded as 499, not 5xx); the baseline answers at once.</item>
/// </list>
/// </summary>
internal sealed class LaneTrafficScenario : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private HangingBackend _hungGreen = null!;
    private int _hungSent;

    private LaneTrafficScenario(string prefix) => Prefix = prefix;

    public string Prefix { get; }

    public string Shop => Prefix + "-shop";

    public string Echo => Prefix + "-echo";

    public string LanesOnly => Prefix + "-lanes";

    public string Drain => Prefix + "-drain";

    public string Hung => Prefix + "-hung";

    /// <summary>How long clients of <c>{p}-hung</c>'s green lane wait for an answer.</summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(300);

    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>The draining gray instance of <c>{p}-drain</c>: live, and never sent a request.</summary>
    public EchoBackend DrainingGray { get; private set; } = null!;

    /// <summary>Requests per wave: (route, lane header or null, count in wave 1, count in wave 2).</summary>
    public static readonly (string Route, string? Lane, int First, int Second)[] Waves =
    [
        ("shop", "gray", 4, 3), ("shop", "blue", 2, 1), ("shop", "red", 1, 1), ("shop", null, 2, 2),
        // Enough requests of the failing lanes (echo gray, drain blue) and of the hung one in the second wave alone for
        // the 0.1 req/s minimum of LaneErrorRatioAboveBaseline and LaneLatencyAboveBaseline: rate() over their 5 minute
        // window sees only the increase between the scrapes.
        ("echo", "gray", 3, 40), ("echo", null, 5, 5), ("lanes", null, 1, 1), ("drain", "gray", 2, 2), ("drain", "blue", 2, 40),
        ("hung", "green", 40, 40), ("hung", null, 2, 2),
    ];

    public static int Expected(string route, string? lane) => Waves.Where(w => w.Route == route && w.Lane == lane).Sum(w => w.First + w.Second);

    public static int WaveTotal(int wave) => Waves.Sum(w => wave == 1 ? w.First : w.Second);

    public static async Task<LaneTrafficScenario> StartAsync()
    {
        var scenario = new LaneTrafficScenario("s" + Guid.NewGuid().ToString("n")[..8]);
        var shopBase = await scenario.Own(EchoBackend.StartAsync("shop", "base", "shop-base-1"));
        var echoBase = await scenario.Own(EchoBackend.StartAsync("echo", "base", "echo-base-1"));
        var echoGray = await scenario.Own(EchoBackend.StartAsync("echo", "gray", "echo-gray-1", status: 500, reportedLane: "blue"));
        var lanesGray = await scenario.Own(EchoBackend.StartAsync("lanes", "gray", "lanes-gray-1"));
        var drainBase = await scenario.Own(EchoBackend.StartAsync("drain", "base", "drain-base-1"));
        scenario.DrainingGray = await scenario.Own(EchoBackend.StartAsync("drain", "gray", "drain-gray-1"));
        var drainBlue = await scenario.Own(EchoBackend.StartAsync("drain", "blue", "drain-blue-1", status: 500));
        var shopGrayDraining = await scenario.Own(EchoBackend.StartAsync("shop", "gray", "shop-gray-2"));
        var hungBase = await scenario.Own(EchoBackend.StartAsync("hung", "base", "hung-base-1"));
        var hungGreen = await scenario.Own(HangingBackend.StartAsync());
        scenario._hungGreen = hungGreen;
        var config = new GatewayConfigBuilder()
            .Route(scenario.Shop).Destination(scenario.Shop, shopBase).Destination(scenario.Shop, "shop-gray-1", BackendSet.DeadAddress(), "gray")
            .Cluster(scenario.Shop, LaneSpec.ActiveHealthCheck())
            .Route(scenario.Echo).Destination(scenario.Echo, echoBase).Destination(scenario.Echo, echoGray)
            .Route(scenario.LanesOnly).Destination(scenario.LanesOnly, lanesGray)
            .Route(scenario.Drain).Destination(scenario.Drain, drainBase).Destination(scenario.Drain, scenario.DrainingGray).Destination(scenario.Drain, drainBlue)
            .Destination(scenario.Shop, shopGrayDraining)
            .Route(scenario.Hung).Destination(scenario.Hung, hungBase).Destination(scenario.Hung, "hung-green-1", hungGreen.Url, "green")
            .Group("scenario", [scenario.Shop, scenario.Echo, scenario.LanesOnly, scenario.Drain, scenario.Hung],
                Match("gray", "gray", Header("x-lane", "Exact", "gray")),
                Match("green", "green", Header("x-lane", "Exact", "green")),
                Match("blue", "blue", Header("x-lane", "Exact", "blue")),
                Match("red", "red", Header("x-lane", "Exact", "red"), fallback: "Reject"));
        config.Set("ReverseProxy:Clusters:" + scenario.Drain + ":Destinations:drain-gray-1:Metadata:draining", "true");
        config.Set("ReverseProxy:Clusters:" + scenario.Shop + ":Destinations:shop-gray-2:Metadata:draining", "true");
        scenario.Gateway = await scenario.Own(TestGateway.StartAsync(config));
        await scenario.WaitForGrayDownAsync();
        return scenario;
    }

    /// <summary>Sends one wave of <see cref="Waves"/>; the requests that hang are sent all at once.</summary>
    public async Task SendWaveAsync(int wave)
    {
        var abandoned = new List<Task>();
        using var giveUp = new CancellationTokenSource();
        foreach (var (route, lane, first, second) in Waves)
        {
            for (var i = 0; i < (wave == 1 ? first : second); i++)
            {
                var headers = lane is null ? Array.Empty<(string, string)>() : [("x-lane", lane)];
                if (route == "hung" && lane is not null)
                {
                    abandoned.Add(SendAndGiveUpAsync(EchoClient.Get("/" + Hung + "/hang", headers), giveUp.Token));
                    continue;
                }

                using var response = await Gateway.Client.SendAsync(EchoClient.Get("/" + Prefix + "-" + route + "/item", headers));
            }
        }

        // The clients give up once the hung instance holds every request, and not before ClientTimeout: one given up
        // before it reached the gateway (a busy machine) was never counted, and the wave's total never reached.
        _hungSent += abandoned.Count;
        await Task.WhenAll(Task.Delay(ClientTimeout), Eventually.ValueAsync(() => Task.FromResult(_hungGreen.Hanging), hanging => hanging == _hungSent));
        await giveUp.CancelAsync();
        await Task.WhenAll(abandoned);
    }

    /// <summary>
    /// Waits until the gateway has recorded <paramref name="total"/> requests on this scenario's routes: a request is
    /// counted when the pipeline unwinds, which can be a moment after the client has its response.
    /// </summary>
    public async Task WaitUntilRecordedAsync(int total)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var samples = await ScrapeAsync();
            if (samples.Where(s => s.Name == "gateway_lane_requests_total" && s.Labels["route"].StartsWith(Prefix, StringComparison.Ordinal)).Sum(s => s.Value) == total)
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the gateway did not record " + total + " requests");
    }

    public async Task<List<PrometheusText.Sample>> ScrapeAsync() => PrometheusText.Parse(await Gateway.Admin.GetStringAsync("/metrics"));

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    private async Task SendAndGiveUpAsync(HttpRequestMessage request, CancellationToken giveUp)
    {
        try
        {
            using var response = await Gateway.Client.SendAsync(request, giveUp);
            throw new InvalidOperationException("the hung instance answered " + (int)response.StatusCode);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
        {
        }
        finally
        {
            request.Dispose();
        }
    }

    private async Task<T> Own<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        var owned = await start;
        _owned.Add(owned);
        return owned;
    }

    /// <summary>Counts are exact only once the health check has marked the dead gray destination unhealthy.</summary>
    private async Task WaitForGrayDownAsync()
    {
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var samples = await ScrapeAsync();
            if (samples.Sum("gateway_lane_destinations", ("cluster", Shop), ("lane", "gray"), ("health", "healthy")) == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the dead gray destination was never marked unhealthy");
    }
}
