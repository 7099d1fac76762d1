using Gateway.Host.Config;
using Gateway.Routing.Config;

namespace Gateway.Host.Reload;

/// <summary>
/// The host settings of the config the gateway runs on (listeners, admin, telemetry, logging, limits): key/value data
/// that is replaced only with a config that has already been validated and compiled, so everything that reads
/// <see cref="IConfiguration"/> sees a new file only after it passed, and sees it whole. Routes, clusters and lanes
/// are left out: they are read from the indexed tree (<see cref="LiveProxyConfigProvider"/>, the lane snapshot), and
/// tens of thousands of route keys here would only slow every settings lookup down.
/// </summary>
internal sealed class ValidatedConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    public ValidatedConfigurationProvider(ConfigTree initial) => Replace(initial, notify: false);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Swaps in the new config's settings and fires the reload token.</summary>
    public void Replace(ConfigTree config, bool notify = true)
    {
        Data = new Dictionary<string, string?>(config.Pairs(ProxyConfigReader.SectionName, LanesOptions.SectionName), StringComparer.OrdinalIgnoreCase);
        if (notify)
        {
            OnReload();
        }
    }
}
