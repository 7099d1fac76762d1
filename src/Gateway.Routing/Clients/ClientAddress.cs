using System.Net;
using System.Net.Sockets;

namespace Gateway.Routing.Clients;

internal static class ClientAddress
{
    /// <summary>IPv4 clients of a dual-stack listener arrive as ::ffff:a.b.c.d; rules are written in IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>The address part of one X-Forwarded-For entry: an address, optionally with a port (1.2.3.4:80, [2001:db8::1]:80).</summary>
    public static ReadOnlySpan<char> ForwardedHost(ReadOnlySpan<char> entry)
    {
        entry = entry.Trim();
        if (entry.Length > 0 && entry[0] == '[')
        {
            var end = entry.IndexOf(']');
            return end > 0 ? entry[1..end] : [];
        }

        return entry.Count(':') == 1 ? entry[..entry.IndexOf(':')] : entry;
    }
}
