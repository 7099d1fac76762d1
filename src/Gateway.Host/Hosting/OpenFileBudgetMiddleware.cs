using Gateway.Lanes.Selection;

namespace Gateway.Host.Hosting;

/// <summary>
/// First in the proxy pipeline: a proxied request takes a place in the <see cref="OpenFileBudget"/> for as long as it
/// is in flight (and may hold a backend connection); with none left it is answered 503 <c>gateway_overloaded</c> before
/// any lane rule or backend sees it.
/// </summary>
internal sealed class OpenFileBudgetMiddleware(RequestDelegate next, OpenFileBudget budget)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (budget.Limit is null)
        {
            return next(context);
        }

        if (!budget.TryEnterRequest())
        {
            return LaneErrorResponse.WriteAsync(context, "gateway_overloaded", null, context.GetReverseProxyFeature().Route.Config.RouteId,
                "too many requests in flight; retry later");
        }

        return InFlightAsync(context);
    }

    private async Task InFlightAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            budget.ExitRequest();
        }
    }
}
