using System.Security.Cryptography;
using System.Text;
using Gateway.Host.Explain;
using Gateway.Routing.Config;
using Yarp.ReverseProxy;
using Gateway.Host.Lifecycle;
using Gateway.Host.Reload;

namespace Gateway.Host.Admin;

/// <summary>
/// The admin listener's endpoints. Health probes are open (a kubelet carries no token); everything else needs
/// <c>Authorization: Bearer {Admin:Token}</c> when a token is configured. <c>/metrics</c> is OpenTelemetry's
/// Prometheus exporter, mapped by <c>MapGateway</c> behind <see cref="RequireTokenAsync"/>.
/// </summary>
internal sealed class AdminEndpoints(
    ConfigState configState,
    GatewayReadiness readiness,
    GatewaySnapshotSource snapshots,
    IProxyStateLookup proxyState,
    IConfiguration configuration)
{
    public const string MetricsPath = "/metrics";

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var isRead = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method);
        var probe = path is "/healthz/live" or "/healthz/ready";
        if (probe && !isRead)
        {
            return NotAllowed(context);
        }

        if (path == "/healthz/live")
        {
            return Text(context, StatusCodes.Status200OK, "ok\n");
        }

        if (path == "/healthz/ready")
        {
            return readiness.IsReady ? Text(context, StatusCodes.Status200OK, "ok\n") : Text(context, StatusCodes.Status503ServiceUnavailable, "draining\n");
        }

        if (!Authorized(context))
        {
            return Unauthorized(context);
        }

        if (path is "/admin/explain" or "/admin/config" or MetricsPath && !isRead)
        {
            return NotAllowed(context);
        }

        if (path == "/admin/explain")
        {
            return ExplainAsync(context);
        }

        if (path == "/admin/config")
        {
            return context.Response.WriteAsJsonAsync(configState.Current);
        }

        return Text(context, StatusCodes.Status404NotFound, "not found\n");
    }

    /// <summary>A known path asked with another method than GET or HEAD (probes answer it without a token).</summary>
    private static Task NotAllowed(HttpContext context)
    {
        context.Response.Headers.Allow = "GET, HEAD";
        return Text(context, StatusCodes.Status405MethodNotAllowed, "method not allowed; use GET or HEAD\n");
    }

    /// <summary>Whether a request is a scrape of <c>/metrics</c> (GET or HEAD).</summary>
    public static bool IsMetrics(HttpContext context) =>
        context.Request.Path.Value == MetricsPath && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method));

    /// <summary>Middleware: answers 401 unless the request carries the admin token (when one is configured).</summary>
    public Task RequireTokenAsync(HttpContext context, RequestDelegate next) => Authorized(context) ? next(context) : Unauthorized(context);

    private Task ExplainAsync(HttpContext context)
    {
        if (!ExplainRequest.TryParse(context.Request.QueryString.Value ?? "", out var request, out var error))
        {
            return Text(context, StatusCodes.Status400BadRequest, error + "\n");
        }

        var result = Explainer.Explain(
            snapshots.Current,
            proxyState.GetRoutes().Select(r => r.Config),
            id => proxyState.TryGetCluster(id, out var cluster) ? (cluster.DestinationsState.AllDestinations, cluster.DestinationsState.AvailableDestinations) : null,
            request);
        return context.Response.WriteAsJsonAsync(result);
    }

    private bool Authorized(HttpContext context)
    {
        var token = configuration["Admin:Token"];
        if (string.IsNullOrEmpty(token))
        {
            return true;
        }

        var header = context.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        // Compared as hashes: FixedTimeEquals returns at once for inputs of different lengths, which told the token's length.
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    private static Task Unauthorized(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Text(context, StatusCodes.Status401Unauthorized, "admin token required\n");
    }

    private static Task Text(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }
}
