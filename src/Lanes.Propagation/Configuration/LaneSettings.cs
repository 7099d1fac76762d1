using System.Collections.Frozen;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Microsoft.Extensions.Options;
using Lanes.Wire;

namespace Lanes.Propagation;

/// <summary>
/// <see cref="LanesOptions"/> compiled once at start for the request path: header names or null when off, parsed
/// networks, frozen lookups, and the names that may become metric labels.
/// </summary>
internal sealed class LaneSettings
{
    /// <summary>
    /// Lanes no configuration names (<c>dev-alice</c>) that are kept as strings with their baggage entry once read: any
    /// well-formed lane a trusted caller sends is one, so only the first ones are; a lane after those is built per use.
    /// </summary>
    public const int UnconfiguredLaneCapacity = 64;

    private static readonly Func<string, string?, string> s_buildBaggageEntry = static (lane, key) => key + "=" + lane;

    private readonly IPNetwork[] _trusted;
    private readonly bool _servicesOnly;
    private readonly FrozenDictionary<string, LaneFallback> _fallbacks;
    private readonly FrozenSet<string> _knownLanes;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _knownLaneSpans;
    private readonly FrozenSet<string> _knownServices;
    private readonly FrozenDictionary<string, string> _baggageEntries;
    private readonly BoundedCache<string, string> _unconfigured = new(UnconfiguredLaneCapacity, StringComparer.Ordinal);

    public LaneSettings(LanesOptions options, IConfiguration? configuration = null, string servicesSection = "Services")
    {
        OwnLane = options.Lane;
        OwnLaneValues = new StringValues(options.Lane);
        TagHeader = options.TagHeader.Length == 0 ? null : options.TagHeader;
        BaggageKey = options.Baggage.Enabled ? options.Baggage.Key : null;
        ServedLaneHeader = options.ServedLaneHeader.Length == 0 ? null : options.ServedLaneHeader;
        _servicesOnly = options.PropagateTo == LanePropagationScope.Services;
        _trusted = new IPNetwork[options.TrustedNetworks.Count];
        for (var i = 0; i < _trusted.Length; i++)
        {
            LanesOptionsValidator.TryParseNetwork(options.TrustedNetworks[i], out _trusted[i]);
        }

        _fallbacks = options.Services.ToFrozenDictionary(s => s.Key, s => s.Value.Fallback, StringComparer.OrdinalIgnoreCase);

        // Labels are bounded by configuration: this lane, the baseline, and the lanes and services the endpoints name.
        var lanes = new HashSet<string>(StringComparer.Ordinal) { OwnLane, LaneWireNames.Baseline };
        var services = new HashSet<string>(options.Services.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var service in configuration?.GetSection(servicesSection).GetChildren() ?? [])
        {
            services.Add(service.Key);
            foreach (var endpoint in service.GetChildren())
            {
                if (!IsSchemeName(endpoint.Key) && LaneWire.IsValidTag(endpoint.Key))
                {
                    lanes.Add(endpoint.Key);
                }
            }
        }

        _knownLanes = lanes.ToFrozenSet(StringComparer.Ordinal);
        _knownLaneSpans = _knownLanes.GetAlternateLookup<ReadOnlySpan<char>>();
        _knownServices = services.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _baggageEntries = _knownLanes.ToFrozenDictionary(l => l, l => BaggageKey + "=" + l, StringComparer.Ordinal);
    }

    public LaneSettings(IOptions<LanesOptions> options, IConfiguration configuration, IOptions<ConfigurationServiceEndpointProviderOptions> endpoints)
        : this(options.Value, configuration, endpoints.Value.SectionName)
    {
    }

    public string OwnLane { get; }

    public StringValues OwnLaneValues { get; }

    public string? TagHeader { get; }

    public string? BaggageKey { get; }

    public string? ServedLaneHeader { get; }

    public bool TrustsEveryone => _trusted.Length == 0;

    /// <summary>What this service reports for a request in <paramref name="lane"/> when nothing escaped.</summary>
    public string ServedByDesign(string lane) => OwnLane == LaneWireNames.Baseline ? lane : OwnLane;

    public bool Trusts(IPAddress? caller)
    {
        if (_trusted.Length == 0)
        {
            return true;
        }

        if (caller is null)
        {
            return false;
        }

        if (caller.IsIPv4MappedToIPv6)
        {
            caller = caller.MapToIPv4();
        }

        foreach (var network in _trusted)
        {
            if (network.Contains(caller))
            {
                return true;
            }
        }

        return false;
    }

    public LaneFallback FallbackFor(string service) =>
        _fallbacks.TryGetValue(service, out var fallback) ? fallback : LaneFallback.Baseline;

    /// <summary>The unconfigured lanes kept; never more than <see cref="UnconfiguredLaneCapacity"/>.</summary>
    public int UnconfiguredLaneCount => _unconfigured.Count;

    /// <summary>A lane as a string, without allocating when it is a configured one or an unconfigured one kept.</summary>
    public string Lane(ReadOnlySpan<char> lane)
    {
        if (_knownLaneSpans.TryGetValue(lane, out var known))
        {
            return known;
        }

        if (_unconfigured.TryGetValue(lane, out var kept, out _))
        {
            return kept;
        }

        var created = lane.ToString();
        _unconfigured.GetOrAdd(created, s_buildBaggageEntry, BaggageKey);
        return created;
    }

    /// <summary>The baggage line <c>lane=gray</c>, built once per configured lane and per unconfigured lane kept.</summary>
    public string BaggageEntry(string lane) =>
        _baggageEntries.TryGetValue(lane, out var entry) ? entry : _unconfigured.GetOrAdd(lane, s_buildBaggageEntry, BaggageKey);

    public string LaneLabel(string? lane) =>
        lane is null ? LaneWireNames.Baseline : _knownLanes.TryGetValue(lane, out var known) ? known : MetricLabels.Other;

    /// <summary>Whether a call to <paramref name="uri"/> carries the lane on (<see cref="LanesOptions.PropagateTo"/>).</summary>
    public bool CarriesLaneTo(Uri? uri) =>
        !_servicesOnly || (uri is { IsAbsoluteUri: true } && _knownServices.Contains(uri.Host));

    public string ServiceLabel(string service) => _knownServices.TryGetValue(service, out var known) ? known : MetricLabels.Other;

    private static bool IsSchemeName(string key) =>
        key is "http" or "https" or "default" || int.TryParse(key, out _);
}
