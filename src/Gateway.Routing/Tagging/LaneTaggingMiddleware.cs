using System.Diagnostics;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing.Tagging;

/// <summary>Puts each proxied request in a lane (rules, or a trusted client tag) and records it in <see cref="ILaneFeature"/>.</summary>
internal sealed partial class LaneTaggingMiddleware(RequestDelegate next, GatewaySnapshotSource source, Random random, ILogger<LaneTaggingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var snapshot = source.Current;
        var routeId = context.GetReverseProxyFeature().Route.Config.RouteId;
        var decision = snapshot.Decide(context, routeId, random);
        context.Features.Set<ILaneFeature>(new LaneFeature(snapshot, decision));
        Activity.Current?.SetTag("lane.tag", decision.Tag ?? LaneNames.Baseline);
        Log.LaneDecided(logger, routeId, decision.Tag ?? LaneNames.Baseline, decision.LaneName, decision.Reason);
        return next(context);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Route {RouteId}: lane {LaneTag} (rule {RuleId}, {LaneReason})")]
        public static partial void LaneDecided(ILogger logger, string routeId, string laneTag, string? ruleId, LaneReason laneReason);
    }
}
