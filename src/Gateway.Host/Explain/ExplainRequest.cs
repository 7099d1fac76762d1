using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Gateway.Routing.Config;
using Microsoft.Extensions.Primitives;
using Lanes.Wire;

namespace Gateway.Host.Explain;

/// <summary>
/// A request to explain, described as a query string (the same for <c>GET /admin/explain?...</c> and the
/// <c>explain</c> command): <c>method=GET&amp;path=/api/orders/1?lane=x&amp;host=shop.example&amp;header=x-user-id:1001&amp;clientIp=1.2.3.4</c>.
/// <c>header</c> may repeat; <c>clientIp</c> is the socket peer (add <c>header=X-Forwarded-For:...</c> to explain
/// a request arriving through a proxy).
/// </summary>
internal static class ExplainRequest
{
    /// <summary>Listed with every description error, so a typo shows the right spelling next to it.</summary>
    public const string ValidForms = "A request description is KEY=VALUE pairs joined by '&': method=GET, path=/api/orders/1 (may carry its own ?query; "
        + "write an '&' inside it as %26), host=shop.example, header=NAME:VALUE (repeatable), clientIp=1.2.3.4 (the socket peer).";

    private static readonly string[] Keys = ["method", "path", "host", "header", "clientIp"];

    public static bool TryParse(string description, out DefaultHttpContext context, out string error)
    {
        context = new DefaultHttpContext();
        var problem = CheckKeys(description) ?? Fill(context, description);
        error = problem is null ? "" : problem + " " + ValidForms;
        return problem is null;
    }

    private static string? Fill(DefaultHttpContext context, string description)
    {
        var values = QueryHelpers.ParseQuery(description.StartsWith('?') ? description : "?" + description);
        var request = context.Request;
        request.Method = Single(values, "method") ?? "GET";
        // A method is a token (RFC 9110): Kestrel answers 400 to any other, so no route could take it.
        if (!LaneWire.IsToken(request.Method))
        {
            return "method '" + request.Method + "' is not an HTTP method such as GET.";
        }

        var path = Single(values, "path") ?? "/";
        if (!path.StartsWith('/'))
        {
            return "path '" + path + "' must start with '/'.";
        }

        var question = path.IndexOf('?');
        request.Path = new PathString(question < 0 ? path : path[..question]);
        request.QueryString = question < 0 ? QueryString.Empty : new QueryString(path[question..]);
        var host = Single(values, "host") ?? "localhost";
        try
        {
            request.Host = new HostString(host);
        }
        catch (ArgumentException)
        {
            // Setting the host converts a non-ASCII name to its ASCII form, which refuses control characters and
            // invalid code points: a problem with the description, not a failure of the explainer.
            return "host '" + host + "' is not a host name.";
        }

        request.Scheme = "http";
        foreach (var header in values.TryGetValue("header", out var headers) ? headers : StringValues.Empty)
        {
            var colon = header?.IndexOf(':') ?? -1;
            if (colon <= 0)
            {
                return "header '" + header + "' is not NAME:VALUE.";
            }

            request.Headers.Append(header![..colon].Trim(), header[(colon + 1)..].Trim());
        }

        var clientIp = Single(values, "clientIp");
        if (clientIp is not null && !IPAddress.TryParse(clientIp, out _))
        {
            return "clientIp '" + clientIp + "' is not an IP address.";
        }

        context.Connection.RemoteIpAddress = IPAddress.Parse(clientIp ?? "127.0.0.1");
        return null;
    }

    /// <summary>Every pair must be KEY=VALUE with a known key: an unknown key or a bare path would otherwise be ignored.</summary>
    private static string? CheckKeys(string description)
    {
        foreach (var pair in description.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (pair.StartsWith('/'))
            {
                return "'" + pair + "' is a bare path; write path=" + pair + ".";
            }

            if (equals <= 0)
            {
                return "'" + pair + "' is not KEY=VALUE.";
            }

            var key = Uri.UnescapeDataString(pair[..equals]);
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                var nearest = Keys.MinBy(k => NearestNames.EditDistance(k, key))!;
                return "unknown key '" + key + "'" + (NearestNames.EditDistance(nearest, key) <= 2 ? "; did you mean '" + nearest + "'?" : ".");
            }
        }

        return null;
    }

    private static string? Single(Dictionary<string, StringValues> values, string key) =>
        values.TryGetValue(key, out var value) && value.Count > 0 ? value[^1] : null;
}
