namespace Gateway.Routing;

/// <summary>Wire names shared with the services behind the gateway. Released names are final.</summary>
public static class LaneHeaders
{
    /// <summary>Default header that carries the lane tag down the call chain.</summary>
    public const string Tag = "x-mse-tag";

    /// <summary>Default response header in which a backend reports the lane that served the request.</summary>
    public const string ServedLane = "x-served-lane";

    /// <summary>Default header a client IP's city arrives in from a trusted proxy (a CDN).</summary>
    public const string City = "X-Client-Ip-City";

    /// <summary>Standard header that lists the client and the proxies a request passed through.</summary>
    public const string ForwardedFor = "X-Forwarded-For";
}
