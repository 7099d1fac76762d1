using System.Net;
using System.Net.Sockets;

namespace Gateway.Routing.Clients;

internal static class ClientAddress
{
    /// <summary>IPv4 clients of a dual-stack listener arrive as ::ffff:a.b.c.d; rules are written in IPv4.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Parses one X-Forwarded-For entry: an address, optionally with a port (1.2.3.4:80, [2001:db8::1]:80).</summary>
    public static bool TryParseForwarded(ReadOnlySpan<char> entry, out IPAddress? address)
    {
        entry = entry.Trim();
        if (entry.Length > 0 && entry[0] == '[')
        {
            var end = entry.IndexOf(']');
            entry = end > 0 ? entry[1..end] : [];
        }
        else if (entry.Count(':') == 1)
        {
            entry = entry[..entry.IndexOf(':')];
        }

        if (IPAddress.TryParse(entry, out address))
        {
            address = Normalize(address);
            return true;
        }

        return false;
    }
}
