using System.Collections.Concurrent;

namespace Lanes.Propagation;

/// <summary>
/// One logical service as called (<c>http://payments</c>): the ServiceDiscovery names of its baseline and of each lane
/// (<c>http://_gray.payments</c>, the lane as a named endpoint), built once, with round-robin positions.
/// </summary>
internal sealed class ServiceTarget
{
    private readonly ConcurrentDictionary<string, EndpointSet> _lanes = new(StringComparer.Ordinal);
    private readonly string _scheme;
    private readonly string _portSuffix;

    public ServiceTarget(Uri uri)
    {
        Service = uri.Host;
        _scheme = uri.Scheme;
        _portSuffix = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Baseline = new EndpointSet(_scheme + "://" + Service + _portSuffix, LaneWireNames.Baseline);
    }

    public string Service { get; }

    public EndpointSet Baseline { get; }

    public EndpointSet Lane(string lane) =>
        _lanes.GetOrAdd(lane, static (name, self) => new EndpointSet(self._scheme + "://_" + name + "." + self.Service + self._portSuffix, name), this);
}
