using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Support;
using Lanes.Propagation;

namespace Gateway.Tests.Propagation;

/// <summary>
/// The targets the routing handler keeps, driven through a real service: calls to many distinct hosts (per-tenant
/// webhooks) or in many distinct lanes keep them at their bounds, and a host called again reuses its target.
/// </summary>
public sealed class LaneTargetsTests : IAsyncLifetime
{
    private HeaderEcho _tenants = null!;
    private HeaderEcho _paymentsOne = null!;
    private HeaderEcho _paymentsTwo = null!;
    private LaneService _service = null!;

    public async Task InitializeAsync()
    {
        _tenants = await HeaderEcho.StartAsync("tenant");
        _paymentsOne = await HeaderEcho.StartAsync("one");
        _paymentsTwo = await HeaderEcho.StartAsync("two");
        var tenantPort = new Uri(_tenants.Url).Port;
        _service = await LaneService.StartAsync(new()
        {
            ["Services:payments:http:0"] = _paymentsOne.Url,
            ["Services:payments:http:1"] = _paymentsTwo.Url,
        }, services: s => s.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => TenantsOnLoopback(tenantPort))));
    }

    [Fact]
    public async Task Send_ManyDistinctHosts_KeepsTheFirstOnesAndServesEveryCall()
    {
        var targets = _service.Services.GetRequiredService<LaneTargets>();
        var first = await PaymentsInstance();

        for (var i = 0; i < LaneTargets.Capacity + 20; i++)
        {
            var (response, body) = await _service.GetAsync("/call/tenant-" + i + ".example");
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            HeaderEcho.Reply.Parse(body).Lane.Should().Be("tenant");
        }

        string[] next = [await PaymentsInstance(), await PaymentsInstance(), await PaymentsInstance()];

        targets.Count.Should().Be(LaneTargets.Capacity);
        first.Should().Be("one");
        next.Should().Equal(["two", "one", "two"], "payments was called first, so it keeps its target and its round robin goes on");
    }

    [Fact]
    public async Task Send_ManyDistinctLanes_KeepsTheFirstOnesOfTheHost()
    {
        for (var i = 0; i < ServiceTarget.LaneCapacity + 8; i++)
        {
            var (response, body) = await _service.GetAsync("/call/payments", ("x-mse-tag", "dev-" + i));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            HeaderEcho.Reply.Parse(body).Tag.Should().Be("dev-" + i);
        }

        var payments = _service.Services.GetRequiredService<LaneTargets>().For(new Uri("http://payments/"));

        payments.LaneCount.Should().Be(ServiceTarget.LaneCapacity);
    }

    [Fact]
    public void For_HostAndLaneKept_AllocatesNothing()
    {
        var targets = new LaneTargets();
        var uri = new Uri("http://payments:8080/charge");

        // Warmed up and measured by the shared helper: one warm-up call left it failing now and then (88 bytes).
        var allocated = Allocations.PerCall(() => targets.For(uri).Lane("gray"));

        allocated.Should().Be(0);
    }

    [Fact]
    public void For_HostPastTheBound_BuildsATargetForEachCall()
    {
        var targets = new LaneTargets();
        for (var i = 0; i < LaneTargets.Capacity; i++)
        {
            targets.For(new Uri("http://tenant-" + i + ".example/"));
        }

        var late = new Uri("http://late.example/");

        targets.For(late).Should().NotBeSameAs(targets.For(late));
        targets.For(new Uri("http://tenant-0.example/")).Should().BeSameAs(targets.For(new Uri("http://tenant-0.example/")));
        targets.Count.Should().Be(LaneTargets.Capacity);
    }

    [Fact]
    public void Readme_StatesTheBounds()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Lanes.Propagation", "README.md"));

        readme.Should().Contain("the first " + LaneTargets.Capacity + " hosts a service calls")
            .And.Contain("the first " + ServiceTarget.LaneCapacity + " lanes of each");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _tenants.DisposeAsync();
        await _paymentsOne.DisposeAsync();
        await _paymentsTwo.DisposeAsync();
    }

    private async Task<string> PaymentsInstance()
    {
        var (_, body) = await _service.GetAsync("/call/payments");
        return HeaderEcho.Reply.Parse(body).Lane;
    }

    /// <summary>Every <c>*.example</c> host is the tenant echo on loopback; other hosts are connected to as addressed.</summary>
    private static SocketsHttpHandler TenantsOnLoopback(int tenantPort) => new()
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var tenant = context.DnsEndPoint.Host.EndsWith(".example", StringComparison.Ordinal);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (tenant)
                {
                    await socket.ConnectAsync(IPAddress.Loopback, tenantPort, cancellationToken);
                }
                else
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                }

                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
