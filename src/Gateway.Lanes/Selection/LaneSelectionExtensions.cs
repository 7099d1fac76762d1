using Microsoft.AspNetCore.Builder;

namespace Gateway.Lanes.Selection;

public static class LaneSelectionExtensions
{
    /// <summary>Adds lane destination selection to the proxy pipeline; it must follow <c>UseLaneTagging</c>.</summary>
    public static IApplicationBuilder UseLaneSelection(this IApplicationBuilder pipeline) => pipeline.UseMiddleware<LaneSelectionMiddleware>();
}
