using Microsoft.AspNetCore.Http;

namespace Gateway.Lanes.Selection;

/// <summary>The short JSON body of a 503 the gateway itself answers for a lane.</summary>
internal static class LaneErrorResponse
{
    public static Task WriteAsync(HttpContext context, string error, string? lane, string route, string message)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return context.Response.WriteAsJsonAsync(new Body(error, lane, route, message));
    }

    private sealed record Body(string Error, string? Lane, string Route, string Message);
}
