using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Explain;

/// <summary>
/// Finds the route a request would take from the routes' <c>Match</c>: path template, methods and hosts, by
/// <c>Order</c> then path specificity as ASP.NET Core routing does. Header and query-parameter matches are reported,
/// not evaluated.
/// </summary>
internal static class RouteMatcher
{
    public static (RouteConfig? Route, string Note) Match(IEnumerable<RouteConfig> routes, HttpRequest request)
    {
        var candidates = new List<(RouteConfig Route, decimal Precedence)>();
        foreach (var route in routes)
        {
            var match = route.Match;
            if (match.Methods is { Count: > 0 } methods && !methods.Contains(request.Method, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            if (match.Hosts is { Count: > 0 } hosts && !hosts.Any(h => HostMatches(h, request.Host.Host)))
            {
                continue;
            }

            var template = TemplateParser.Parse(match.Path ?? "/{**catchall}");
            if (!new TemplateMatcher(template, new RouteValueDictionary()).TryMatch(request.Path, new RouteValueDictionary()))
            {
                continue;
            }

            candidates.Add((route, RoutePrecedence.ComputeInbound(template)));
        }

        if (candidates.Count == 0)
        {
            return (null, "no route matches " + request.Method + " " + request.Path);
        }

        var chosen = candidates.OrderBy(c => c.Route.Order ?? 0).ThenBy(c => c.Precedence).First().Route;
        var unevaluated = (chosen.Match.Headers?.Count ?? 0) + (chosen.Match.QueryParameters?.Count ?? 0);
        return (chosen, unevaluated > 0 ? "the route's header and query-parameter matches were not evaluated" : "matched by path" + (chosen.Match.Hosts is { Count: > 0 } ? ", host" : "") + (chosen.Match.Methods is { Count: > 0 } ? ", method" : ""));
    }

    private static bool HostMatches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern.Split(':')[0], host, StringComparison.OrdinalIgnoreCase);
}
