namespace Gateway.Routing.Config;

public sealed class LaneOptions
{
    public string Name { get; set; } = "";

    /// <summary>The tag stamped; <c>base</c> pins the requests the lane takes to the baseline.</summary>
    public string Tag { get; set; } = "";

    public MatchOptions? Match { get; set; }

    public double? Percentage { get; set; }

    public string? StickyKey { get; set; }

    public LaneFallback Fallback { get; set; } = LaneFallback.Baseline;

    /// <summary>With a <c>cookie:NAME</c> sticky key: a request without the cookie gets a new random id as its key, sent back in <c>Set-Cookie</c>.</summary>
    public bool IssueCookie { get; set; }

    /// <summary>Lifetime of an issued cookie (<c>Max-Age</c>); 30 days when not set.</summary>
    public double? IssueCookieMaxAgeDays { get; set; }
}
