namespace Lanes.Propagation;

/// <summary>
/// One logical service as called (<c>http://payments</c>): the ServiceDiscovery names of its baseline and of each lane
/// (<c>http://_gray.payments</c>, the lane as a named endpoint), built once, with round-robin positions.
/// The lane is the caller's tag, any well-formed one a trusted caller sends (every caller by default), so only the
/// first <see cref="LaneCapacity"/> lanes are kept; a lane after that gets its set built for the call, its round robin
/// starting afresh: a caller trusted to choose lanes could crowd out a real lane that way, which then still reaches its
/// instances, each call its first usable one.
/// </summary>
internal sealed class ServiceTarget
{
    /// <summary>More lanes than a team runs at once; with every host slot full, at most 8,192 lane names are kept.</summary>
    public const int LaneCapacity = 32;

    private readonly BoundedCache<string, EndpointSet> _lanes = new(LaneCapacity, StringComparer.Ordinal);
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

    /// <summary>The lanes kept.</summary>
    public int LaneCount => _lanes.Count;

    public EndpointSet Lane(string lane) =>
        _lanes.GetOrAdd(lane, static (name, self) => new EndpointSet(self._scheme + "://_" + name + "." + self.Service + self._portSuffix, name), this);
}
