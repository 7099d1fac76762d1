using Gateway.Routing.Config;

namespace Gateway.Routing.Tagging;

/// <summary>The lane of the current request, stored in the request's features by the tagging middleware.</summary>
public interface ILaneFeature
{
    /// <summary>The config revision the request was decided with; it keeps using it until it ends.</summary>
    GatewaySnapshot Snapshot { get; }

    LaneDecision Decision { get; }

    LaneOutcome Outcome { get; set; }
}
