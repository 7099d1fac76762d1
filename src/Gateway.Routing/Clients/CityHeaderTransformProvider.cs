using Gateway.Routing.Tagging;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Routing.Clients;

/// <summary>
/// Removes the city header (<c>Lanes:ClientIp:CityHeader</c>, in every spelling a backend may read as it) from requests
/// whose peer is not a trusted proxy. The gateway believes it only from trusted proxies; passed on, a client's own
/// would reach the backend as if a proxy had set it, and a gateway behind this one that trusts it as a proxy would
/// route by the forged city.
/// </summary>
internal sealed class CityHeaderTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(RemoveUntrusted);

    private static ValueTask RemoveUntrusted(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<ILaneFeature>() is { Snapshot.Clients: { CityHeader: { } header } clients }
            && !clients.IsTrustedProxy(context.HttpContext.Connection.RemoteIpAddress))
        {
            HeaderSpellings.RemoveAll(context.ProxyRequest.Headers, header);
        }

        return default;
    }
}
