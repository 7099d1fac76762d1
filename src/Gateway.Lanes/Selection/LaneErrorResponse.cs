using Microsoft.AspNetCore.Http;

namespace Gateway.Lanes.Selection;

/// <summary>The short JSON body of an error the gateway itself answers (a 503 for a lane, a 502 or 504 for a destination).</summary>
internal static class LaneErrorResponse
{
    public static Task WriteAsync(HttpContext context, string error, string? lane, string route, string message) =>
        WriteAsync(context, StatusCodes.Status503ServiceUnavailable, error, lane, route, message);

    public static Task WriteAsync(HttpContext context, int status, string error, string? lane, string route, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new Body(error, lane, route, message));
    }

    private sealed record Body(string Error, string? Lane, string Route, string Message);
}
