namespace Gateway.Routing;

/// <summary>YARP destination metadata keys the gateway reads.</summary>
public static class LaneMetadata
{
    /// <summary>Default metadata key naming a destination's lane; destinations without it are the baseline.</summary>
    public const string Lane = "lane";
}
