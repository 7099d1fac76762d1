using System.Text.Json.Nodes;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>One route (<c>orders</c>) in one group (<c>trade</c>) with the given lanes, for rule unit tests.</summary>
internal static class RuleHarness
{
    public const string RouteId = "orders";

    public static GatewayConfigBuilder Config(params JsonObject[] lanes) =>
        new GatewayConfigBuilder()
            .Route(RouteId)
            .Destination(RouteId, "orders-base-1", "http://127.0.0.1:9/")
            .Group("trade", [RouteId], lanes);

    public static GatewaySnapshot Snapshot(params JsonObject[] lanes) => Config(lanes).BuildSnapshot();

    public static LaneDecision Decide(this GatewaySnapshot snapshot, HttpContext context, Random? random = null) =>
        snapshot.Decide(context, RouteId, random ?? new ScriptedRandom(0));

    /// <summary>The tag a request gets, <c>base</c> for the baseline.</summary>
    public static string TagFor(this GatewaySnapshot snapshot, HttpContext context, Random? random = null) =>
        snapshot.Decide(context, random).Tag ?? "base";
}
