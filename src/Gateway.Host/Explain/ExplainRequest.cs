using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Gateway.Host.Explain;

/// <summary>
/// A request to explain, described as a query string (the same for <c>GET /admin/explain?...</c> and the
/// <c>explain</c> command): <c>method=GET&amp;path=/api/orders/1?lane=x&amp;host=shop.example&amp;header=x-user-id:1001&amp;clientIp=1.2.3.4</c>.
/// <c>header</c> may repeat; <c>clientIp</c> is the socket peer (add <c>header=X-Forwarded-For:...</c> to explain
/// a request arriving through a proxy).
/// </summary>
internal static class ExplainRequest
{
    public static bool TryParse(string description, out DefaultHttpContext context, out string error)
    {
        context = new DefaultHttpContext();
        error = "";
        var values = QueryHelpers.ParseQuery(description.StartsWith('?') ? description : "?" + description);
        var request = context.Request;
        request.Method = Single(values, "method") ?? "GET";
        var path = Single(values, "path") ?? "/";
        if (!path.StartsWith('/'))
        {
            error = "path must start with '/'";
            return false;
        }

        var question = path.IndexOf('?');
        request.Path = new PathString(question < 0 ? path : path[..question]);
        request.QueryString = question < 0 ? QueryString.Empty : new QueryString(path[question..]);
        request.Host = new HostString(Single(values, "host") ?? "localhost");
        request.Scheme = "http";
        foreach (var header in values.TryGetValue("header", out var headers) ? headers : StringValues.Empty)
        {
            var colon = header?.IndexOf(':') ?? -1;
            if (colon <= 0)
            {
                error = "header '" + header + "' is not NAME:VALUE";
                return false;
            }

            request.Headers.Append(header![..colon].Trim(), header[(colon + 1)..].Trim());
        }

        var clientIp = Single(values, "clientIp");
        if (clientIp is not null && !IPAddress.TryParse(clientIp, out _))
        {
            error = "clientIp '" + clientIp + "' is not an IP address";
            return false;
        }

        context.Connection.RemoteIpAddress = IPAddress.Parse(clientIp ?? "127.0.0.1");
        return true;
    }

    private static string? Single(Dictionary<string, StringValues> values, string key) =>
        values.TryGetValue(key, out var value) && value.Count > 0 ? value[^1] : null;
}
