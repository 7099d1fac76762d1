using Gateway.Host.Reload;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>Validates a whole gateway config and compiles its lane snapshot; the one path used by start, validate and reload.</summary>
internal static class GatewayConfigLoader
{
    public static GatewaySnapshot? Compile(ConfigDocument document, string baseDirectory, List<ConfigProblem> problems) =>
        Compile(document, baseDirectory, problems, previous: null)?.Snapshot;

    /// <summary>
    /// Validates and compiles; given the config that serves, reuses what did not change: the whole <c>ReverseProxy</c>
    /// section when its text is the same, otherwise every route and cluster whose text is the same, and every lane
    /// group whose text is the same.
    /// </summary>
    public static CompiledConfig? Compile(ConfigDocument document, string baseDirectory, List<ConfigProblem> problems, CompiledConfig? previous)
    {
        var reader = new ConfigReader(problems);
        var file = ConfigJson.ReadMembers<GatewayConfigFile>(document.Root, "", reader);
        // Past the problems listed, the settings (only used by a valid config) would cost memory and show nothing more.
        var settings = reader.ProblemCount >= ConfigReader.MaxListed ? [] : ValidatedConfigurationProvider.Flatten(document.Root, reader);
        file.Validate(reader);

        var proxy = previous is not null && ConfigJson.SameText(file.ReverseProxy, previous.File.ReverseProxy)
            ? previous.Proxy
            : ProxyConfigReader.Read(file.ReverseProxy, reader, ProxyConfigValidator.Standalone, previous?.Proxy ?? ProxyConfigSet.Empty);
        var (options, groups) = LanesReader.Read(file.Lanes, reader, previous?.Groups ?? ConfigEntries<LaneGroupOptions>.Empty);
        var snapshot = GatewaySnapshotCompiler.Compile(options, proxy.RouteIds, baseDirectory, document.Revision, problems, reuse: true);

        // An unchanged group's options are the serving config's object, compiled already: its rules were reused unless
        // the city source changed.
        var reused = previous?.Snapshot.Clients.HasCitySource == snapshot?.Clients.HasCitySource ? groups.Items.Count - groups.ReadAnew : 0;

        // Problems found while reading (a misspelt key, a bad enum) count as much as those found while compiling.
        return reader.ProblemCount > 0 || snapshot is null
            ? null
            : new CompiledConfig(document, file, settings, proxy, snapshot, groups, reused);
    }

    /// <summary>Loads the source into a fresh document; a file that cannot be read or is not JSON is one problem.</summary>
    public static ConfigDocument? Load(GatewayConfigSource source, List<ConfigProblem> problems) =>
        source.TryRead(problems) is { } content ? ConfigDocument.Parse(content, source.Description, problems) : null;
}
