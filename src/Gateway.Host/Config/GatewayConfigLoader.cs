using Gateway.Host.Reload;
using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>Validates a whole gateway config and compiles its lane snapshot; the one path used by start, validate and reload.</summary>
internal static class GatewayConfigLoader
{
    public static GatewaySnapshot? Compile(ConfigDocument document, string baseDirectory, List<ConfigProblem> problems) =>
        Compile(document, baseDirectory, problems, previous: null, ProxyConfigValidator.Standalone)?.Snapshot;

    /// <summary>
    /// Validates and compiles; given the config that serves, reuses what did not change: the whole <c>ReverseProxy</c>
    /// section when its text is the same, otherwise every route and cluster whose text is the same, and every lane
    /// group whose text is the same. <paramref name="validator"/> runs YARP's own checks on what is read anew.
    /// </summary>
    public static CompiledConfig? Compile(ConfigDocument document, string baseDirectory, List<ConfigProblem> problems, CompiledConfig? previous, IConfigValidator validator)
    {
        var before = problems.Count;
        var reader = new ConfigReader(problems);
        var file = ConfigJson.ReadMembers<GatewayConfigFile>(document.Root, "", reader);
        var settings = ValidatedConfigurationProvider.Flatten(document.Root, reader);
        file.Validate(reader);

        var proxy = previous is not null && ConfigJson.Raw(file.ReverseProxy).SequenceEqual(ConfigJson.Raw(previous.File.ReverseProxy))
            ? previous.Proxy
            : ProxyConfigReader.Read(file.ReverseProxy, reader, validator, previous?.Proxy ?? ProxyConfigSet.Empty);
        var groups = (previous?.Groups ?? LaneGroupCache.Empty).Next();
        var options = LanesReader.Read(file.Lanes, reader, groups);
        var snapshot = GatewaySnapshotCompiler.Compile(options, proxy.RouteIds, baseDirectory, document.Revision, problems, groups);

        // Problems found while reading (a misspelt key, a bad enum) count as much as those found while compiling.
        return problems.Count > before || snapshot is null
            ? null
            : new CompiledConfig(document, file, settings, proxy, snapshot, groups.Build(), groups.Reused);
    }

    /// <summary>Loads the source into a fresh document; a file that cannot be read or is not JSON is one problem.</summary>
    public static ConfigDocument? Load(GatewayConfigSource source, List<ConfigProblem> problems) =>
        source.TryRead(problems) is { } content ? Parse(content, source.Description, problems) : null;

    /// <summary>Parses JSON config bytes; JSON that does not parse is one problem.</summary>
    public static ConfigDocument? Parse(byte[] content, string description, List<ConfigProblem> problems) =>
        ConfigDocument.Parse(content, description, problems);
}
