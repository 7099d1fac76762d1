using System.Net;
using Gateway.Host.Hosting;
using Gateway.Lanes.Upstream;
using Gateway.Routing.Config;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Host;

public sealed class OpenFileBudgetTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData(1_048_576L, 523_788L)]
    [InlineData(20_000L, 9_500L)]
    [InlineData(1_500L, 562L)]
    [InlineData(1L, 1L)]
    public void FromOpenFileLimit_KeepsHalfOfWhatTheReserveLeaves(long openFiles, long expected)
    {
        OpenFileBudget.Half(openFiles).Should().Be(expected);
    }

    [Theory]
    [InlineData("Max open files            20000                20000                files     ", 20_000L)]
    [InlineData("Max open files            unlimited            unlimited            files     ", null)]
    [InlineData("Max processes             95000                95000                processes ", null)]
    public void ReadOpenFileLimit_ProcLimitsLine_ReadsTheSoftLimit(string line, long? expected)
    {
        var file = _directory.Write("limits", "Limit                     Soft Limit           Hard Limit           Units     \n" + line + "\n");

        OpenFileBudget.ReadOpenFileLimit(file).Should().Be(expected);
    }

    [Fact]
    public void ReadOpenFileLimit_NoSuchFile_IsUnknown()
    {
        OpenFileBudget.ReadOpenFileLimit(Path.Combine(_directory.Path, "none")).Should().BeNull();
    }

    [Theory]
    [InlineData(1L, 1L)]
    [InlineData(4L, 3L)]
    [InlineData(9L, 8L)]
    [InlineData(523_788L, 471_410L)]
    public void Caps_NoSetting_LeaveATenthOfTheBudgetAndAtLeastOnePlaceToOthers(long budget, long expected)
    {
        (new OverloadOptions().RequestCap(budget), new OverloadOptions().ConnectionCap(budget)).Should().Be((expected, expected));
    }

    [Fact]
    public void Caps_SettingOrUnknownBudget_TheSettingOrNoCap()
    {
        var set = new OverloadOptions { RequestsPerClient = 7, ConnectionsPerClient = 9 };

        (set.RequestCap(100), set.RequestCap(null), set.ConnectionCap(100), new OverloadOptions().RequestCap(null), new OverloadOptions().ConnectionCap(null))
            .Should().Be((7L, 7L, 9L, (long?)null, (long?)null));
    }

    [Fact]
    public void TryEnter_ClientsShareAndTotal_RefusedInThatOrderAndPlacesGivenBack()
    {
        var budget = Budget(openFiles: 10, requestsPerClient: 2);
        var first = Request("192.0.2.1");
        var second = Request("2001:db8:1:2::1");
        var secondSamePrefix = Request("2001:db8:1:2::ffff");

        var places = new[] { budget.TryEnter(first), budget.TryEnter(first), budget.TryEnter(first), budget.TryEnter(second), budget.TryEnter(secondSamePrefix) };
        var pastShare = budget.TryEnter(secondSamePrefix);
        var pastTotal = budget.TryEnter(Request("198.51.100.7"));
        budget.Exit(places[0]);
        var afterExit = budget.TryEnter(first);

        places.Select(p => p.Refusal).Should().Equal(ProxyRequestRefusal.None, ProxyRequestRefusal.None, ProxyRequestRefusal.ClientOverloaded, ProxyRequestRefusal.None, ProxyRequestRefusal.None);
        pastShare.Refusal.Should().Be(ProxyRequestRefusal.ClientOverloaded, "an IPv6 client is its /64, which holds its two places");
        pastTotal.Refusal.Should().Be(ProxyRequestRefusal.Overloaded, "the four places of the budget are taken");
        afterExit.Refusal.Should().Be(ProxyRequestRefusal.None);
        (budget.ClientRequestsRejected, budget.RequestsRejected).Should().Be((2, 1));
    }

    [Fact]
    public void TryEnter_IPv4ClientOfADualStackListener_IsTheIPv4Client()
    {
        var budget = Budget(openFiles: 10, requestsPerClient: 1);

        var places = new[] { budget.TryEnter(Request("192.0.2.1")), budget.TryEnter(Request("::ffff:192.0.2.1")) };

        places.Select(p => p.Refusal).Should().Equal(ProxyRequestRefusal.None, ProxyRequestRefusal.ClientOverloaded);
    }

    /// <summary>Taking and giving back a place, the client's share included, costs a request no allocation.</summary>
    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("2001:db8::1")]
    public void TryEnterAndExit_ClientCounted_AllocatesNothing(string client)
    {
        var budget = Budget(openFiles: 10_000, requestsPerClient: null);
        var context = Request(client);

        var allocated = Allocations.PerCall(() => budget.Exit(budget.TryEnter(context)));

        budget.ClientCap.Should().NotBeNull();
        allocated.Should().Be(0);
    }

    private static OpenFileBudget Budget(long openFiles, int? requestsPerClient) =>
        new(openFiles, new OverloadOptions { RequestsPerClient = requestsPerClient }, new GatewayListeners([], []),
            new GatewaySnapshotSource(RuleHarness.Snapshot()), NullLogger<OpenFileBudget>.Instance, TimeProvider.System);

    private static DefaultHttpContext Request(string client) => new() { Connection = { RemoteIpAddress = IPAddress.Parse(client) } };

    public void Dispose() => _directory.Dispose();
}
