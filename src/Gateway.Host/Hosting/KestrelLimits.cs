using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Hosting;

/// <summary>
/// The request limits the gateway sets, each overridable under <c>Kestrel:Limits</c> (ASP.NET Core's names).
/// Requests over a limit are refused by Kestrel (400, 413 or 431) before any lane rule or backend sees them.
/// </summary>
internal static class KestrelLimits
{
    public static void Apply(KestrelServerOptions options, IConfiguration configuration)
    {
        var limits = options.Limits;
        limits.MaxRequestHeadersTotalSize = 64 * 1024;
        limits.MaxRequestHeaderCount = 100;
        limits.MaxRequestLineSize = 8 * 1024;
        limits.MaxRequestBodySize = 30 * 1024 * 1024;
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
        limits.KeepAliveTimeout = TimeSpan.FromSeconds(130);
        limits.MaxConcurrentConnections = null;
        options.AddServerHeader = false;
        configuration.GetSection("Kestrel:Limits").Bind(limits);
    }
}
