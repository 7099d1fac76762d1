using System.Net;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Routing.Tagging;

/// <summary>
/// The lane state of one request, and the client address found for it. The host's per-client budget finds the
/// client before the lane is decided; it keeps it in an undecided feature (<see cref="ForClient"/>, registered as
/// <see cref="IClientAddressFeature"/> only), which the tagging middleware then decides and registers as the
/// request's <see cref="ILaneFeature"/>: one object per request either way.
/// </summary>
internal sealed class LaneFeature : ILaneFeature, IClientAddressFeature
{
    public LaneFeature(GatewaySnapshot snapshot, LaneDecision decision)
    {
        Snapshot = snapshot;
        Decision = decision;
    }

    // Only reachable as IClientAddressFeature until Decided is called.
    private LaneFeature()
    {
        Snapshot = null!;
        Decision = null!;
    }

    public GatewaySnapshot Snapshot { get; private set; }

    public LaneDecision Decision { get; private set; }

    public LaneOutcome Outcome { get; set; }

    public IReadOnlyList<DestinationState>? Candidates { get; set; }

    public Func<HttpContext, Task>? AfterForwarding { get; set; }

    public ClientAddressResolver? ClientResolver { get; private set; }

    public IPAddress? ClientAddress { get; private set; }

    /// <summary>A feature that holds only the client address until the request's lane is decided.</summary>
    public static LaneFeature ForClient() => new();

    public void KeepClient(ClientAddressResolver resolver, IPAddress? address)
    {
        ClientResolver = resolver;
        ClientAddress = address;
    }

    /// <summary>Records the lane of a feature made by <see cref="ForClient"/>.</summary>
    public LaneFeature Decided(GatewaySnapshot snapshot, LaneDecision decision)
    {
        Snapshot = snapshot;
        Decision = decision;
        return this;
    }
}
