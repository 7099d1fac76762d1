using System.Globalization;
using System.Net;
using Gateway.Routing.Config;
using Gateway.Routing.Rules;
using Gateway.Routing.Tagging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Lanes.Wire;

namespace Gateway.Routing.Clients;

/// <summary>
/// Finds the client address and city of a request. X-Forwarded-For and the city header are believed only when the
/// socket peer is a trusted proxy; otherwise anyone could claim any address or city.
/// </summary>
public sealed class ClientAddressResolver
{
    private readonly NetworkList _trustedProxies;
    private readonly string? _cityHeader;
    private readonly CityDatabase? _cities;

    public ClientAddressResolver(NetworkList trustedProxies, string? cityHeader, CityDatabase? cities)
    {
        _trustedProxies = trustedProxies;
        _cityHeader = string.IsNullOrWhiteSpace(cityHeader) ? null : cityHeader;
        _cities = cities;
    }

    /// <summary>Whether a city can be known: a city database, or a city header from trusted proxies (a city condition needs one).</summary>
    public bool HasCitySource => _cities is not null || (!_trustedProxies.IsEmpty && _cityHeader is not null);

    /// <summary>Whether any proxy is trusted; without one the client address is the socket peer as it is.</summary>
    public bool HasTrustedProxies => !_trustedProxies.IsEmpty;

    /// <summary>Whether the peer is a trusted proxy; an IPv4 peer of a dual-stack listener is its IPv4 address.</summary>
    public bool IsTrustedProxy(IPAddress? peer) => _trustedProxies.Contains(peer);

    /// <summary>The header a trusted proxy sets to the client's city, or null when switched off.</summary>
    public string? CityHeader => _cityHeader;

    /// <summary>Compiles <c>Lanes:ClientIp</c>; a city database file is read relative to <paramref name="baseDirectory"/>.</summary>
    public static ClientAddressResolver Compile(ClientIpOptions options, string baseDirectory, ConfigReader reader)
    {
        const string Section = LanesOptions.SectionName + ":ClientIp";
        const int Listed = 20;
        var proxies = NetworkList.Compile(options.TrustedProxies, Section + ":TrustedProxies", reader);
        if (options.CityHeader is { Length: > 0 } header && !LaneWire.IsToken(header))
        {
            reader.Report(Section + ":CityHeader", "'" + header + "' is not a valid header name");
        }

        CityDatabase? cities = null;
        if (!string.IsNullOrWhiteSpace(options.CityDatabase))
        {
            var file = Path.GetFullPath(options.CityDatabase, baseDirectory);
            var errors = new List<string>();
            cities = CityDatabase.Load(file, errors);
            foreach (var error in errors.Take(Listed))
            {
                reader.Report(Section + ":CityDatabase", error);
            }

            if (errors.Count > Listed)
            {
                reader.Report(Section + ":CityDatabase", (errors.Count - Listed).ToString(CultureInfo.InvariantCulture) + " more problems in '" + file + "'");
            }
        }

        return new ClientAddressResolver(proxies, options.CityHeader, cities);
    }

    /// <summary>
    /// The socket peer, or, when the peer is a trusted proxy, the X-Forwarded-For entry right of the last trusted
    /// proxy (walking from the right, the first hop that is not itself trusted). An unparseable entry ends the walk:
    /// whatever is left of it was written by an untrusted party, so the last trusted hop is the best answer. Hops are
    /// compared as <see cref="AddressKey"/>s: only the answer becomes an address.
    /// </summary>
    public IPAddress? ResolveAddress(HttpContext context)
    {
        var peer = context.Connection.RemoteIpAddress;
        if (peer is null)
        {
            return null;
        }

        var candidate = AddressKey.Of(peer);
        if (!_trustedProxies.Contains(candidate))
        {
            return ClientAddress.Normalize(peer);
        }

        // The candidate as an address, when one exists already: the peer's, or a hop IPAddress parsed.
        var candidateAddress = peer;
        var forwarded = context.Request.Headers[LaneHeaders.ForwardedFor];
        for (var line = forwarded.Count - 1; line >= 0; line--)
        {
            var remaining = (forwarded[line] ?? "").AsSpan();
            while (!remaining.IsEmpty)
            {
                var comma = remaining.LastIndexOf(',');
                var entry = remaining[(comma + 1)..];
                remaining = comma < 0 ? [] : remaining[..comma];
                if (entry.Trim().IsEmpty)
                {
                    continue;
                }

                if (!AddressKey.TryParseForwarded(entry, out var hop, out var parsed))
                {
                    return AddressOf(candidate, candidateAddress);
                }

                if (!_trustedProxies.Contains(hop))
                {
                    return parsed ?? hop.ToAddress();
                }

                candidate = hop;
                candidateAddress = parsed;
            }
        }

        return AddressOf(candidate, candidateAddress);
    }

    private static IPAddress AddressOf(AddressKey key, IPAddress? known) => known is null ? key.ToAddress() : ClientAddress.Normalize(known);

    /// <summary>
    /// <see cref="ResolveAddress"/>, kept for the request's later users (<see cref="KeptOrResolveAddress"/>): its
    /// first user (the per-client share of the request budget) walks X-Forwarded-For, the lane rules take the answer.
    /// Kept in the request's lane feature, made now and decided later, so keeping it allocates nothing more.
    /// </summary>
    public IPAddress? ResolveAndKeepAddress(HttpContext context)
    {
        var address = ResolveAddress(context);
        if (_trustedProxies.IsEmpty)
        {
            // Nothing to walk: no later user would save anything.
            return address;
        }

        if (context.Features.Get<IClientAddressFeature>() is { } kept)
        {
            kept.KeepClient(this, address);
        }
        else
        {
            var feature = LaneFeature.ForClient();
            feature.KeepClient(this, address);
            context.Features.Set<IClientAddressFeature>(feature);
        }

        return address;
    }

    /// <summary>
    /// The address kept for the request by this same resolver, else <see cref="ResolveAddress"/>. A request may meet two
    /// config revisions (a reload between the budget and the lane rules), and one revision's answer is never used
    /// with another's trusted proxies: the answer is taken only from the resolver that found it.
    /// </summary>
    public IPAddress? KeptOrResolveAddress(HttpContext context) =>
        !_trustedProxies.IsEmpty && context.Features.Get<IClientAddressFeature>() is { } kept && ReferenceEquals(kept.ClientResolver, this)
            ? kept.ClientAddress
            : ResolveAddress(context);

    /// <summary>The city string (<c>city,province,country</c>): the city header from a trusted proxy, else the database.</summary>
    public string? ResolveCity(HttpContext context, IPAddress? client)
    {
        if (_cityHeader is not null)
        {
            if (_trustedProxies.Contains(context.Connection.RemoteIpAddress)
                && context.Request.Headers.TryGetValue(_cityHeader, out StringValues header) && !StringValues.IsNullOrEmpty(header))
            {
                return header[0];
            }
        }

        return client is null ? null : _cities?.Find(client);
    }
}
