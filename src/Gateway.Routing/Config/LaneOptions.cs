namespace Gateway.Routing.Config;

public sealed class LaneOptions
{
    public string Name { get; set; } = "";

    public string Tag { get; set; } = "";

    public MatchOptions? Match { get; set; }

    public double? Percentage { get; set; }

    public string? StickyKey { get; set; }

    public LaneFallback Fallback { get; set; } = LaneFallback.Baseline;
}
