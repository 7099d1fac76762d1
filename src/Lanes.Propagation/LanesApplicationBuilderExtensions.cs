using Lanes.Propagation;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the lane middleware to a service's pipeline.</summary>
public static class LanesApplicationBuilderExtensions
{
    /// <summary>
    /// Reads each request's lane (tag header, else W3C baggage) from trusted callers, makes it ambient
    /// (<see cref="LaneContext.Current"/> and the current activity) and reports <c>x-served-lane</c>. Put it early.
    /// </summary>
    public static IApplicationBuilder UseLanes(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<LaneMiddleware>();
    }
}
