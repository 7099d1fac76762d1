using System.Diagnostics;
using System.Security.Cryptography;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing.Tagging;

/// <summary>
/// Puts each proxied request in a lane (rules, or a trusted client tag) and records it in <see cref="ILaneFeature"/>.
/// When a lane issued a sticky cookie to the request, the cookie is added to the response as it starts, whoever
/// writes it (the backend's answer or the gateway's own 503).
/// </summary>
internal sealed partial class LaneTaggingMiddleware(
    RequestDelegate next, GatewaySnapshotSource source, Random random, RandomNumberGenerator cookieIds, ILogger<LaneTaggingMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var snapshot = source.Current;
        var routeId = context.GetReverseProxyFeature().Route.Config.RouteId;
        var decision = snapshot.Decide(context, routeId, random, cookieIds, out var setCookie);
        // The feature the budget kept the client address in, if it did: the request's one lane feature.
        context.Features.Set<ILaneFeature>(context.Features.Get<IClientAddressFeature>() is LaneFeature kept
            ? kept.Decided(snapshot, decision)
            : new LaneFeature(snapshot, decision));
        if (setCookie is not null)
        {
            context.Response.OnStarting(AppendCookie, (context.Response, setCookie));
        }

        Activity.Current?.SetTag("lane.tag", decision.Tag ?? LaneNames.Baseline);
        Log.LaneDecided(logger, routeId, decision.Tag ?? LaneNames.Baseline, decision.LaneName, decision.Reason);
        return next(context);
    }

    private static Task AppendCookie(object state)
    {
        var (response, setCookie) = ((HttpResponse, string))state;
        response.Headers.Append(HeaderNames.SetCookie, setCookie);
        return Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Route {RouteId}: lane {LaneTag} (rule {RuleId}, {LaneReason})")]
        public static partial void LaneDecided(ILogger logger, string routeId, string laneTag, string? ruleId, LaneReason laneReason);
    }
}
