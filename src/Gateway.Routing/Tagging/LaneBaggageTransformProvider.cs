using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Routing.Tagging;

/// <summary>
/// Writes the request's lane into W3C <c>baggage</c> on the forwarded request (<c>Lanes:Baggage</c>), so services
/// that read only baggage (any language with OpenTelemetry) carry the lane on. A client's own lane entry never passes:
/// the entry is the gateway's decision, which already took a trusted sender's tag header into account.
/// </summary>
internal sealed class LaneBaggageTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(WriteBaggage);

    private static ValueTask WriteBaggage(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<ILaneFeature>() is { Snapshot.Baggage: { } baggage } lane)
        {
            baggage.Write(context.ProxyRequest.Headers, lane.Decision.Tag);
        }

        return default;
    }
}
