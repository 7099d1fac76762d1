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

    public void Configure(KestrelServerOptions kestrel)
    {
        foreach (var address in publicAddresses)
        {
            Listen(kestrel, address, _public);
        }

        foreach (var address in adminAddresses)
        {
            Listen(kestrel, address, _admin);
        }
    }

    public bool IsAdmin(HttpContext context) => Accepted(_admin, context.Connection.LocalPort);

    /// <summary>Whether the request arrived on one of this gateway's listeners, not on another host's in the same process.</summary>
    public bool Serves(HttpContext context) => Accepted(_public, context.Connection.LocalPort) || Accepted(_admin, context.Connection.LocalPort);

    private static bool Accepted(List<ListenOptions> listeners, int port)
    {
        foreach (var listener in listeners)
        {
            if ((listener.IPEndPoint?.Port ?? -1) == port)
            {
                return true;
            }
        }

        return false;
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, List<ListenOptions> into)
    {
        // Kestrel fills in the bound port of a port-0 endpoint on the ListenOptions it hands to this callback.
        Action<ListenOptions> capture = options => into.Add(options);
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
