using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Support;

/// <summary>A hand-made proxy feature of route and cluster <c>orders</c> (<see cref="RuleHarness.RouteId"/>), for middleware unit tests.</summary>
internal sealed class FakeProxyFeature(IReadOnlyList<DestinationState> destinations) : IReverseProxyFeature
{
    public RouteModel Route { get; } = new(new RouteConfig { RouteId = "orders", ClusterId = "orders" }, null!, Yarp.ReverseProxy.Forwarder.HttpTransformer.Empty);

    public ClusterModel Cluster { get; } = new(new ClusterConfig { ClusterId = "orders" }, new HttpMessageInvoker(new HttpClientHandler()));

    public IReadOnlyList<DestinationState> AllDestinations { get; } = destinations;

    public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = destinations;

    public DestinationState? ProxiedDestination { get; set; }
}
