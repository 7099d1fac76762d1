using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.ServiceDiscovery;

namespace Lanes.Propagation;

/// <summary>Turns a resolved endpoint into the address a call goes to, as ServiceDiscovery's own handler does.</summary>
internal static class EndpointAddress
{
    /// <summary>
    /// Whether the endpoint is only the service's own name handed back (ServiceDiscovery's pass-through when nothing
    /// resolved the name). A lane's instances addressed by the service's own name would be the baseline: not deployed.
    /// </summary>
    public static bool IsPassThrough(ServiceEndpoint endpoint, string service) =>
        endpoint.EndPoint is DnsEndPoint dns && string.Equals(dns.Host, service, StringComparison.OrdinalIgnoreCase);

    public static Uri Rewrite(Uri uri, ServiceEndpoint endpoint)
    {
        // The common shapes are written straight into one string (the new URI's text): UriBuilder copies every part.
        if (uri.UserInfo.Length == 0)
        {
            var text = endpoint.EndPoint switch
            {
                UriEndPoint { Uri: { AbsolutePath: "/" } target } => Text(target.Scheme, target.Host, "", target.Port, uri),
                IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip => Text(uri.Scheme, ip.Address, "[", ip.Port, uri),
                IPEndPoint ip => Text(uri.Scheme, ip.Address, "", ip.Port, uri),
                // A resolver may name an IPv6 literal as a DnsEndPoint: UriBuilder below brackets it.
                DnsEndPoint dns when !dns.Host.Contains(':') => Text(uri.Scheme, dns.Host, "", dns.Port > 0 ? dns.Port : uri.Port, uri),
                _ => null,
            };

            if (text is not null)
            {
                return new Uri(text);
            }
        }

        var builder = new UriBuilder(uri);
        switch (endpoint.EndPoint)
        {
            case UriEndPoint { Uri: var target }:
                builder.Scheme = target.Scheme;
                builder.Host = target.Host;
                builder.Port = target.Port;
                if (target.AbsolutePath.Length > 1)
                {
                    builder.Path = target.AbsolutePath.TrimEnd('/') + "/" + uri.AbsolutePath.TrimStart('/');
                }

                break;
            case IPEndPoint ip:
                builder.Host = ip.Address.ToString();
                builder.Port = ip.Port;
                break;
            case DnsEndPoint dns:
                builder.Host = dns.Host;
                if (dns.Port > 0)
                {
                    builder.Port = dns.Port;
                }

                break;
            default:
                throw new InvalidOperationException("Endpoints of type " + endpoint.EndPoint.GetType().Name + " are not supported");
        }

        return builder.Uri;
    }

    /// <summary><c>scheme://host:port/path?query#fragment</c>, the host bracketed when <paramref name="open"/> is <c>[</c>.</summary>
    private static string Text<THost>(string scheme, THost host, string open, int port, Uri uri)
    {
        var close = open.Length == 0 ? "" : "]";
        return string.Create(CultureInfo.InvariantCulture, stackalloc char[256], $"{scheme}://{open}{host}{close}:{port}{uri.PathAndQuery}{uri.Fragment}");
    }
}
