using System.Globalization;
using System.Net;
using Gateway.Routing.Config;

namespace Gateway.Host.Hosting;

/// <summary>One <c>http://host:port</c> the gateway listens on: an address, <c>localhost</c> or any (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>).</summary>
internal sealed record ListenAddress(IPAddress? Address, bool IsLocalhost, int Port)
{
    public bool IsAny => Address is null && !IsLocalhost;

    public static List<ListenAddress> ParseList(string? urls, string path, ConfigReader reader)
    {
        var list = new List<ListenAddress>();
        var parts = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            if (TryParse(parts[i], out var address, out var error))
            {
                list.Add(address!);
            }
            else
            {
                reader.Report(parts.Length == 1 ? path : ConfigReader.Item(path, i), error);
            }
        }

        if (list.Count == 0 && parts.Length == 0)
        {
            reader.Report(path, "needs at least one http://host:port address");
        }

        return list;
    }

    public static bool TryParse(string url, out ListenAddress? address, out string error)
    {
        address = null;
        error = "'" + url + "' is not an http://host:port address";
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            error = "'" + url + "': the gateway listens on plain HTTP; terminate TLS at the load balancer or ingress in front of it";
            return false;
        }

        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var hostPort = url["http://".Length..].TrimEnd('/');
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || hostPort.IndexOf('/') >= 0
            || !int.TryParse(hostPort.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return false;
        }

        var host = hostPort[..colon];
        if (host is "*" or "+" or "0.0.0.0" or "[::]")
        {
            address = new ListenAddress(null, false, port);
            return true;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new ListenAddress(null, true, port);
            return true;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            address = new ListenAddress(ip, false, port);
            return true;
        }

        return false;
    }
}
