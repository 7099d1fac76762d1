using System.Globalization;
using System.Net;
using Gateway.Routing.Config;

namespace Gateway.Routing.Clients;

/// <summary>A compiled list of CIDR networks (IPv4 and IPv6); a bare address is a single-host network.</summary>
public sealed class NetworkList
{
    public static readonly NetworkList Empty = new([]);

    // Each network as its masked address and the mask, compared with a hop's AddressKey (no IPAddress needed).
    private readonly (AddressKey Prefix, UInt128 Mask)[] _networks;

    private NetworkList(IPNetwork[] networks)
    {
        _networks = new (AddressKey, UInt128)[networks.Length];
        for (var i = 0; i < networks.Length; i++)
        {
            var prefix = AddressKey.Of(networks[i].BaseAddress);
            var bits = prefix.IsV4 ? 32 : 128;
            var all = prefix.IsV4 ? uint.MaxValue : UInt128.MaxValue;
            _networks[i] = (prefix, networks[i].PrefixLength == 0 ? UInt128.Zero : (all << (bits - networks[i].PrefixLength)) & all);
        }
    }

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Whether the address is in one of the networks; an IPv4 address mapped to IPv6 counts as the IPv4 one.</summary>
    public bool Contains(IPAddress? address) => address is not null && Contains(AddressKey.Of(address));

    internal bool Contains(AddressKey address)
    {
        foreach (var (prefix, mask) in _networks)
        {
            if (prefix.IsV4 == address.IsV4 && (address.Value & mask) == prefix.Value)
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
