using System.Globalization;
using System.Net;
using Gateway.Routing.Config;

namespace Gateway.Routing.Clients;

/// <summary>A compiled list of CIDR networks (IPv4 and IPv6); a bare address is a single-host network.</summary>
public sealed class NetworkList
{
    public static readonly NetworkList Empty = new([]);

    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks) => _networks = networks;

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public static NetworkList Compile(IReadOnlyList<string> entries, string path, ConfigReader reader)
    {
        var networks = new List<IPNetwork>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            if (TryParse(entries[i], out var network, out var error))
            {
                networks.Add(network);
            }
            else
            {
                reader.Report(ConfigReader.Item(path, i), error);
            }
        }

        return networks.Count == 0 ? Empty : new NetworkList([.. networks]);
    }

    /// <summary>
    /// Parses <c>address/prefix</c> or a bare address. Host bits after the prefix are an error rather than silently
    /// masked: <c>10.0.0.1/8</c> is more often a typo for <c>/32</c> than a way of writing <c>10.0.0.0/8</c>.
    /// </summary>
    public static bool TryParse(string text, out IPNetwork network, out string error)
    {
        var trimmed = text.Trim();
        var slash = trimmed.IndexOf('/');
        var prefix = -1;
        network = default;
        error = "'" + text + "' is not an IP address or CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32)";
        if (!IPAddress.TryParse(slash < 0 ? trimmed : trimmed[..slash], out var address)
            || (slash >= 0 && !int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix)))
        {
            return false;
        }

        address = ClientAddress.Normalize(address);
        var bytes = address.GetAddressBytes();
        var bits = bytes.Length * 8;
        if (slash < 0)
        {
            prefix = bits;
        }
        else if (prefix > bits)
        {
            return false;
        }

        var masked = (byte[])bytes.Clone();
        for (var bit = prefix; bit < bits; bit++)
        {
            masked[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        if (!masked.AsSpan().SequenceEqual(bytes))
        {
            error = "'" + text + "' has bits set after the /" + prefix.ToString(CultureInfo.InvariantCulture)
                + " prefix; did you mean " + new IPAddress(masked) + "/" + prefix.ToString(CultureInfo.InvariantCulture) + "?";
            return false;
        }

        network = new IPNetwork(address, prefix);
        return true;
    }
}
