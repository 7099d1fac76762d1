using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing.Tagging;

internal sealed class LaneFeature(GatewaySnapshot snapshot, LaneDecision decision) : ILaneFeature
{
    public GatewaySnapshot Snapshot { get; } = snapshot;

    public LaneDecision Decision { get; } = decision;

    public LaneOutcome Outcome { get; set; }

    public IReadOnlyList<DestinationState>? Candidates { get; set; }

    public Func<HttpContext, Task>? AfterForwarding { get; set; }
}
