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

    public static bool TryParse(string text, out IPNetwork network, out string error)
    {
        var trimmed = text.Trim();
        error = "";
        if (IPAddress.TryParse(trimmed, out var single) && !trimmed.Contains('/'))
        {
            single = ClientAddress.Normalize(single);
            network = new IPNetwork(single, single.GetAddressBytes().Length * 8);
            return true;
        }

        if (IPNetwork.TryParse(trimmed, out network))
        {
            return true;
        }

        var slash = trimmed.IndexOf('/');
        if (slash > 0
            && IPAddress.TryParse(trimmed.AsSpan(0, slash), out var address)
            && int.TryParse(trimmed.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            && prefix <= address.GetAddressBytes().Length * 8)
        {
            var bytes = address.GetAddressBytes();
            for (var bit = prefix; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            error = "'" + text + "' has bits set after the /" + prefix.ToString(CultureInfo.InvariantCulture)
                + " prefix; did you mean " + new IPAddress(bytes) + "/" + prefix.ToString(CultureInfo.InvariantCulture) + "?";
            return false;
        }

        error = "'" + text + "' is not an IP address or CIDR network (e.g. 10.0.0.0/8, 2001:db8::/32)";
        return false;
    }
}
