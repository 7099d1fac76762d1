using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gateway.Host.Hosting;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Gateway.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Model;
using static Gateway.Tests.Support.LaneSpec;

namespace Gateway.Tests.Host;

/// <summary>
/// Behind trusted proxies, a proxied request's client is found by walking X-Forwarded-For: once for the request, by
/// the per-client share of the request budget, whose answer the lane rules take; but only with the trusted proxies
/// of the revision that found it.
/// </summary>
public sealed class ClientResolvedOnceTests
{
    private static readonly JsonObject Office = Match("office", "gray", new JsonObject { ["ClientNetworks"] = Strings("203.0.113.0/24") });

    /// <summary>The proxy at 10.0.0.1 names the client, behind two more trusted proxies.</summary>
    private static DefaultHttpContext Forwarded() => Requests.Create(remoteIp: "::ffff:10.0.0.1", headers: ("X-Forwarded-For", "203.0.113.7, 10.1.1.1, 10.2.2.2"));

    private static GatewaySnapshot Snapshot(params string[] trustedProxies) =>
        RuleHarness.Config(Office).Set("Lanes:ClientIp:TrustedProxies", Strings(trustedProxies)).BuildSnapshot();

    private static OpenFileBudget Budget(GatewaySnapshotSource snapshots) =>
        new(10_000, new OverloadOptions(), new GatewayListeners([], []), snapshots, NullLogger<OpenFileBudget>.Instance, TimeProvider.System);

    /// <summary>The budget's share and the lane rules together allocate what one walk does: the second takes the first's answer.</summary>
    [Fact]
    public void TryEnterThenDecide_ClientBehindTrustedProxies_AllocatesWhatOneWalkDoes()
    {
        var snapshot = Snapshot("10.0.0.0/8");
        var budget = Budget(new GatewaySnapshotSource(snapshot));
        var context = Forwarded();
        var random = new ScriptedRandom(0);

        var oneWalk = Allocations.PerCall(() => snapshot.Clients.ResolveAddress(context));
        var request = Allocations.PerCall(() =>
        {
            var place = budget.TryEnter(context);
            snapshot.Decide(context, random);
            budget.Exit(place);
        });

        budget.ClientCap.Should().NotBeNull();
        snapshot.TagFor(context).Should().Be("gray");
        request.Should().BeLessThanOrEqualTo(oneWalk);
    }

    /// <summary>The feature the budget kept the client in becomes the request's lane feature: keeping it adds no object.</summary>
    [Fact]
    public async Task TaggingMiddleware_BudgetKeptTheClient_DecidesThatFeature()
    {
        var snapshots = new GatewaySnapshotSource(Snapshot("10.0.0.0/8"));
        var budget = Budget(snapshots);
        var context = Forwarded();
        context.Features.Set<IReverseProxyFeature>(new FakeProxyFeature([]));
        using var cookieIds = RandomNumberGenerator.Create();
        var tagging = new LaneTaggingMiddleware(_ => Task.CompletedTask, snapshots, new ScriptedRandom(0), cookieIds, NullLogger<LaneTaggingMiddleware>.Instance);

        var place = budget.TryEnter(context);
        var kept = context.Features.Get<IClientAddressFeature>();
        await tagging.InvokeAsync(context);
        budget.Exit(place);

        var lane = context.Features.Get<ILaneFeature>();
        kept.Should().NotBeNull();
        lane.Should().BeSameAs(kept);
        lane!.Decision.Tag.Should().Be("gray");
    }

    /// <summary>
    /// A reload between the budget and the lane rules may change the trusted proxies: the rules then walk again with
    /// their own, never taking an answer found with the other revision's.
    /// </summary>
    [Theory]
    [InlineData(new[] { "10.0.0.0/8" }, new string[0], "base")]
    [InlineData(new string[0], new[] { "10.0.0.0/8" }, "gray")]
    [InlineData(new[] { "10.0.0.0/8" }, new[] { "10.0.0.0/8" }, "gray")]
    [InlineData(new[] { "10.0.0.0/8" }, new[] { "10.0.0.1/32" }, "base")]
    public void TryEnterThenDecide_ReloadInBetween_RulesUseTheirRevisionsTrustedProxies(string[] before, string[] after, string expected)
    {
        var snapshots = new GatewaySnapshotSource(Snapshot(before));
        var budget = Budget(snapshots);
        var context = Forwarded();

        var place = budget.TryEnter(context);
        snapshots.Publish(Snapshot(after));
        var tag = snapshots.Current.TagFor(context);
        budget.Exit(place);

        tag.Should().Be(expected);
    }
}
