namespace Gateway.Host.Reload;

/// <summary>
/// The configuration the gateway runs on: key/value data that is replaced only with a config that has already been
/// validated and compiled. YARP's own config reader and everything else that reads <see cref="IConfiguration"/> see a
/// new file only after it passed, and see it whole.
/// </summary>
internal sealed class ValidatedConfigurationProvider : ConfigurationProvider, IConfigurationSource
{
    public ValidatedConfigurationProvider(IEnumerable<KeyValuePair<string, string?>> initial) => Replace(initial, notify: false);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <summary>Swaps in new data and fires the reload token (YARP reloads its routes and clusters from it).</summary>
    public void Replace(IEnumerable<KeyValuePair<string, string?>> data, bool notify = true)
    {
        Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);
        if (notify)
        {
            OnReload();
        }
    }
}
