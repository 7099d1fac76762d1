namespace Gateway.Host.Lifecycle;

/// <summary>
/// While the gateway drains (from SIGTERM until its listeners close), every HTTP/1.1 answer carries
/// <c>Connection: close</c>. Keep-alive clients (a load balancer's or a service's connection pool) then reconnect,
/// and their load balancer sends them to another replica, instead of keeping an idle connection into the listeners'
/// close: a request sent on it just then is lost without an answer, and only some clients send it again. HTTP/2
/// clients get Kestrel's GOAWAY when the listeners close.
/// </summary>
internal sealed class DrainingConnectionClose(RequestDelegate next, GatewayReadiness readiness)
{
    private static readonly Func<object, Task> CloseConnection = static state =>
    {
        // A WebSocket's 101 must keep its Connection: Upgrade; the connection is the WebSocket's from then on.
        if (state is HttpResponse { StatusCode: not StatusCodes.Status101SwitchingProtocols } response)
        {
            response.Headers.Connection = "close";
        }

        return Task.CompletedTask;
    };

    public Task InvokeAsync(HttpContext context)
    {
        if (!readiness.IsReady && HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.OnStarting(CloseConnection, context.Response);
        }

        return next(context);
    }
}
