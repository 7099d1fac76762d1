using System.Security.Cryptography;
using Gateway.Routing.Clients;
using Gateway.Routing.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Routing.Tagging;

public static class LaneTaggingExtensions
{
    /// <summary>Registers the tag, baggage and city header transforms, the random source for key-less percentage draws and the cryptographic one for issued cookie ids.</summary>
    public static IReverseProxyBuilder AddLaneTagging(this IReverseProxyBuilder builder)
    {
        builder.Services.TryAddSingleton(Random.Shared);
        builder.Services.TryAddSingleton(RandomNumberGenerator.Create());
        builder.Services.AddSingleton<ITransformProvider, LaneTagTransformProvider>();
        builder.Services.AddSingleton<ITransformProvider, LaneBaggageTransformProvider>();
        builder.Services.AddSingleton<ITransformProvider, CityHeaderTransformProvider>();
        return builder;
    }

    /// <summary>Adds the lane tagging step to the proxy pipeline; it needs a <see cref="GatewaySnapshotSource"/> service.</summary>
    public static IApplicationBuilder UseLaneTagging(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<LaneTaggingMiddleware>();
}
