using Gateway.Lanes.Selection;
using Gateway.Routing;
using Gateway.Routing.Config;
using Gateway.Routing.Tagging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Lanes.Diagnostics;

/// <summary>
/// The label values of the lane metrics: one string per enum value, and lane names only from configuration, so no
/// client input ever becomes a label (bounded cardinality, nothing to inject).
/// </summary>
public static class MetricValues
{
    /// <summary>A lane name that is not configured (e.g. a trusted client tag no lane or destination names).</summary>
    public const string Other = "other";

    /// <summary>The served lane of a request no destination served (rejected, no baseline, failed before forwarding).</summary>
    public const string None = "none";

    private static readonly string[] StatusClasses = ["other", "1xx", "2xx", "3xx", "4xx", "5xx"];

    public static string Decision(LaneOutcome outcome) => outcome switch
    {
        LaneOutcome.Lane => "lane",
        LaneOutcome.Baseline => "baseline",
        LaneOutcome.Fallback => "fallback",
        LaneOutcome.Drained => "drained",
        LaneOutcome.Escaped => "escaped",
        LaneOutcome.Rejected => "rejected",
        LaneOutcome.NoBaseline => "no_baseline",
        _ => "unknown",
    };

    public static string Kind(EscapeKind kind) => kind switch
    {
        EscapeKind.LaneToBaseline => "lane_to_baseline",
        EscapeKind.BaselineToLane => "baseline_to_lane",
        EscapeKind.Upstream => "upstream",
        _ => "unknown",
    };

    public static string StatusClass(int status) => status is >= 100 and < 600 ? StatusClasses[status / 100] : StatusClasses[0];

    public static string Lane(string? tag) => tag ?? LaneNames.Baseline;

    /// <summary>
    /// A lane as a metric label: <c>base</c>, a tag some lane rule stamps, or a lane some destination of the cluster
    /// is in (all configured names); anything else, such as a trusted client's tag or a backend's header, is <c>other</c>.
    /// </summary>
    public static string Lane(string? tag, GatewaySnapshot snapshot, IReverseProxyFeature proxy)
    {
        if (tag is null || tag == LaneNames.Baseline)
        {
            return LaneNames.Baseline;
        }

        if (snapshot.TagDecisions.TryGetValue(tag, out var decision))
        {
            return decision.Tag!;
        }

        // Equal (ordinally) to a destination's configured lane, so it is a configured name, not free client text.
        return LaneDestinations.For(proxy.AllDestinations, snapshot.DestinationTagKey).IsDeployed(tag) ? tag : Other;
    }
}
