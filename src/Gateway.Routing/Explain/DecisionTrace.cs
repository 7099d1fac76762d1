using Gateway.Routing.Tagging;

namespace Gateway.Routing.Explain;

/// <summary>How a request's lane was decided, step by step (filled only when explaining, never for real traffic).</summary>
public sealed class DecisionTrace
{
    /// <summary>What happened to a tag header the client sent: absent, trusted, or removed (and why).</summary>
    public string IncomingTag { get; set; } = "absent";

    public string? Group { get; set; }

    public List<LaneTrace> Lanes { get; } = [];

    public LaneDecision? Decision { get; set; }
}

/// <summary>One lane tried: each condition with what the request had, and the percentage draw.</summary>
public sealed record LaneTrace(string Lane, string Tag, IReadOnlyList<ConditionTrace> Conditions, PercentageTrace? Percentage, string Result);

public sealed record ConditionTrace(string Condition, string? Value, bool Matched);

/// <summary>
/// A percentage lane's draw: the request's bucket and the slice the lane takes, both in percent of all requests
/// reaching it (<c>taken when bucket &lt; threshold</c>, threshold = share / remaining). <c>IssuedCookie</c> says when
/// the key is an id the gateway issues to this request (<c>IssueCookie</c>).
/// </summary>
public sealed record PercentageTrace(double Share, string StickyKey, bool Sticky, double Bucket, double Threshold, double Remaining, string? IssuedCookie);
