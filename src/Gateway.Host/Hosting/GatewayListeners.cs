using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Host.Hosting;

/// <summary>
/// The public (proxy) and admin listeners. Admin requests are recognised by the local port their connection was
/// accepted on, never by the Host header, which a client controls: the public listener cannot reach admin endpoints.
/// </summary>
internal sealed class GatewayListeners(IReadOnlyList<ListenAddress> publicAddresses, IReadOnlyList<ListenAddress> adminAddresses)
{
    private readonly List<ListenOptions> _public = [];
    private readonly List<ListenOptions> _admin = [];

    public IEnumerable<string> PublicUrls => _public.Select(Url);

    public IEnumerable<string> AdminUrls => _admin.Select(Url);

    /// <summary>Every listener's address, public first; port 0 until that listener is bound.</summary>
    public IEnumerable<string> ConfiguredUrls => _public.Concat(_admin).Select(Url);

    /// <summary>The port of the admin listener whose address Kestrel's bind error names, if it names one.</summary>
    public int? AdminAddressIn(string bindError)
    {
        foreach (var listener in _admin)
        {
            // Kestrel names the endpoint as http://{IPEndPoint}, e.g. http://127.0.0.1:9901 or http://[::]:9901.
            if (listener.IPEndPoint is { } endpoint && bindError.Contains("http://" + endpoint + ":", StringComparison.Ordinal))
            {
                return endpoint.Port;
            }
        }

        return null;
    }

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var address in publicAddresses)
        {
            Listen(kestrel, address, _public, protocols: null);
        }

        foreach (var address in adminAddresses)
        {
            // Probes, Prometheus and curl speak HTTP/1.1, whatever Kestrel:EndpointDefaults:Protocols sets for the
            // public listener (Http2 for h2c gRPC clients would make every probe fail).
            Listen(kestrel, address, _admin, HttpProtocols.Http1);
        }
    }

    public bool IsAdmin(HttpContext context) => Accepted(_admin, context.Connection.LocalPort, context.Connection.LocalIpAddress);

    /// <summary>Whether a connection at <paramref name="local"/> was accepted by an admin listener (before any request).</summary>
    public bool IsAdmin(EndPoint? local) => local is IPEndPoint endpoint && Accepted(_admin, endpoint.Port, endpoint.Address);

    /// <summary>
    /// Whether the request is this gateway's, on any of its listeners or Kestrel's own endpoints (also one a reload
    /// added), not another host's in the same process (the demo's services): told by the container that serves it.
    /// </summary>
    public bool Serves(HttpContext context) => ReferenceEquals(context.RequestServices.GetService<GatewayListeners>(), this);

    /// <summary>
    /// Whether the connection was accepted by one of the listeners: same port, and same address unless the listener
    /// takes any. The port alone is not enough: an endpoint of <c>Kestrel:Endpoints</c> may listen on the admin port at
    /// another address (both bind), and its clients would reach the admin endpoints.
    /// </summary>
    private static bool Accepted(List<ListenOptions> listeners, int localPort, IPAddress? local)
    {
        foreach (var listener in listeners)
        {
            if (listener.IPEndPoint is { } endpoint && Takes(endpoint, localPort, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a connection arrived at <paramref name="listening"/>: its port, and its address unless that takes any.</summary>
    private static bool Takes(IPEndPoint listening, int localPort, IPAddress? local) =>
        listening.Port == localPort
        && (listening.Address.Equals(IPAddress.Any) || listening.Address.Equals(IPAddress.IPv6Any)
            || (local is not null && (listening.Address.Equals(local) || (local.IsIPv4MappedToIPv6 && listening.Address.Equals(local.MapToIPv4())))));

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, List<ListenOptions> into, HttpProtocols? protocols)
    {
        // Kestrel fills in the bound port of a port-0 endpoint on the ListenOptions it hands to this callback.
        Action<ListenOptions> capture = options =>
        {
            // Only when given: setting Protocols at all, even to its default, makes Kestrel warn that cleartext HTTP/2 is off.
            if (protocols is { } fixedProtocols)
            {
                options.Protocols = fixedProtocols;
            }

            into.Add(options);
        };
        if (address.IsLocalhost)
        {
            kestrel.Listen(IPAddress.Loopback, address.Port, capture);
        }
        else if (address.IsAny)
        {
            kestrel.ListenAnyIP(address.Port, capture);
        }
        else
        {
            kestrel.Listen(address.Address!, address.Port, capture);
        }
    }

    private static string Url(ListenOptions options)
    {
        var endpoint = options.IPEndPoint!;
        var host = endpoint.Address.Equals(IPAddress.IPv6Any) || endpoint.Address.Equals(IPAddress.Any) ? "0.0.0.0"
            : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + endpoint.Address + "]" : endpoint.Address.ToString();
        return "http://" + host + ":" + endpoint.Port;
    }
}
