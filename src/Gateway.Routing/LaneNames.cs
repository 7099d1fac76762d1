namespace Gateway.Routing;

/// <summary>Reserved lane names.</summary>
public static class LaneNames
{
    /// <summary>The baseline: every destination without a lane tag. No lane may use it as its tag.</summary>
    public const string Baseline = "base";
}
