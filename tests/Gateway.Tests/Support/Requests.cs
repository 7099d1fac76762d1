using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Support;

/// <summary>In-memory requests for unit tests of rule evaluation.</summary>
internal static class Requests
{
    public static DefaultHttpContext Create(string? remoteIp = "203.0.113.7", string query = "", params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/orders/1";
        if (query.Length > 0)
        {
            context.Request.QueryString = new QueryString(query);
        }

        context.Connection.RemoteIpAddress = remoteIp is null ? null : IPAddress.Parse(remoteIp);
        foreach (var (name, value) in headers)
        {
            // Append drops an empty first value; set it directly so "present but empty" can be tested.
            var existing = context.Request.Headers[name];
            context.Request.Headers[name] = existing.Count == 0 ? new Microsoft.Extensions.Primitives.StringValues(value) : Microsoft.Extensions.Primitives.StringValues.Concat(existing, value);
        }

        return context;
    }

    public static DefaultHttpContext WithHeaders(params (string Name, string Value)[] headers) => Create(headers: headers);
}
