using Gateway.Routing.Explain;

namespace Gateway.Host.Explain;

/// <summary>What <c>/admin/explain</c> and the <c>explain</c> command answer (as JSON).</summary>
internal sealed record ExplainResult(
    ExplainResult.RequestInfo Request,
    string? Route,
    string? Cluster,
    string RouteMatch,
    string? IncomingTag,
    string? Group,
    IReadOnlyList<LaneTrace> Lanes,
    ExplainResult.DecisionInfo? Decision,
    string? Stamped,
    ExplainResult.DestinationsInfo? Destinations)
{
    internal sealed record RequestInfo(string Method, string Path, string? Host, Dictionary<string, string> Headers, string? ClientIp);

    internal sealed record DecisionInfo(string Tag, string? Lane, string Reason, string Fallback);

    internal sealed record DestinationsInfo(string Outcome, string Explanation, IReadOnlyList<string> Candidates, IReadOnlyList<DestinationInfo> All);

    internal sealed record DestinationInfo(string Id, string Lane, string Address, string Health, bool Draining, double WarmupSeconds);
}
