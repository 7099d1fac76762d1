using System.Net;
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
}
