using Gateway.Routing.Config;

namespace Gateway.Routing.Tagging;

internal sealed class LaneFeature(GatewaySnapshot snapshot, LaneDecision decision) : ILaneFeature
{
    public GatewaySnapshot Snapshot { get; } = snapshot;

    public LaneDecision Decision { get; } = decision;

    public LaneOutcome Outcome { get; set; }
}
