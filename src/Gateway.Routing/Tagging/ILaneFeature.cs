using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing.Tagging;

/// <summary>The lane of the current request, stored in the request's features by the tagging middleware.</summary>
public interface ILaneFeature
{
    /// <summary>The config revision the request was decided with; it keeps using it until it ends.</summary>
    GatewaySnapshot Snapshot { get; }

    LaneDecision Decision { get; }

    LaneOutcome Outcome { get; set; }

    /// <summary>
    /// The destinations the request may go to once its lane is chosen, before the load balancer narrows the proxy
    /// feature's list to its pick; null until the request reaches the forwarding step.
    /// </summary>
    IReadOnlyList<DestinationState>? Candidates { get; set; }

    /// <summary>
    /// Run by the outermost lane middleware once the proxy pipeline has returned, before it records the request: the
    /// forwarding step's follow-up (another attempt, the error body), so that only one middleware awaits the forwarder.
    /// Null when the request never reached the forwarding step.
    /// </summary>
    Func<HttpContext, Task>? AfterForwarding { get; set; }
}
