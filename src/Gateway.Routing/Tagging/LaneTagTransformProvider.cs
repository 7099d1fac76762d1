using System.Diagnostics;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Routing.Tagging;

/// <summary>
/// Writes the request's lane tag on the forwarded request (and nothing else in that header: whatever the client sent
/// was either trusted, and is the decision, or removed, in every spelling a backend may read as the tag header).
/// Baseline requests are forwarded without the header.
/// </summary>
internal sealed class LaneTagTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(StampTag);

    private static ValueTask StampTag(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<ILaneFeature>() is { } lane)
        {
            var header = lane.Snapshot.TagHeader;
            HeaderSpellings.RemoveAll(context.ProxyRequest.Headers, header);
            if (lane.Decision.Tag is { } tag)
            {
                context.ProxyRequest.Headers.TryAddWithoutValidation(header, tag);
            }

            // Inside the forwarder, the current activity is YARP's own request activity.
            Activity.Current?.SetTag("lane.tag", lane.Decision.Tag ?? LaneNames.Baseline);
        }

        return default;
    }
}
