using Gateway.Host.Config;
using Microsoft.Extensions.Primitives;

namespace Gateway.Host.Reload;

/// <summary>
/// The <c>ReverseProxy</c> section YARP reads its routes and clusters from: the section of the last config that was
/// validated and compiled, replaced whole with the lane snapshot. YARP's config reader re-reads it when the reload
/// token fires. It reads an indexed <see cref="ConfigTree"/> rather than the host's configuration, whose per-call key
/// scans made applying a large config quadratic.
/// </summary>
internal sealed class LiveProxyConfiguration : IConfiguration
{
    private volatile Current _current;

    public LiveProxyConfiguration(ConfigTree initial) => _current = new Current(initial, Proxy(initial), new CancellationTokenSource());

    public string? this[string key]
    {
        get => _current.Section[key];
        set => throw new NotSupportedException("the proxy configuration is replaced whole");
    }

    public IConfigurationSection GetSection(string key) => _current.Section.GetSection(key);

    public IEnumerable<IConfigurationSection> GetChildren() => _current.Section.GetChildren();

    public IChangeToken GetReloadToken() => new CancellationChangeToken(_current.Changed.Token);

    /// <summary>
    /// Makes <paramref name="next"/>'s routes and clusters current and tells YARP to read them; returns false when its
    /// <c>ReverseProxy</c> section is the same text as the current one. Then YARP is not told: it would rebuild every
    /// route endpoint and the routing matcher for nothing, which for 10,000 routes is most of a reload's cost, and
    /// the usual change in a gray release (a lane's rules or percentage) leaves the routes alone.
    /// </summary>
    public bool Replace(ConfigTree next)
    {
        var previous = _current;
        if (previous.Tree.SameSection(next, ProxyConfigChecks.SectionName))
        {
            return false;
        }

        _current = new Current(next, Proxy(next), new CancellationTokenSource());
        previous.Changed.Cancel();
        return true;
    }

    private static IConfigurationSection Proxy(ConfigTree tree) => tree.GetSection(ProxyConfigChecks.SectionName);

    private sealed record Current(ConfigTree Tree, IConfigurationSection Section, CancellationTokenSource Changed);
}
