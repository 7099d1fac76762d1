using Gateway.Routing.Config;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Host.Config;

/// <summary>Validates a whole gateway config and compiles its lane snapshot; the one path used by start, validate and reload.</summary>
internal static class GatewayConfigLoader
{
    public static GatewaySnapshot? Compile(ConfigTree configuration, string baseDirectory, List<ConfigProblem> problems) =>
        Compile(configuration, baseDirectory, problems, previous: null, ProxyConfigValidator.Standalone)?.Snapshot;

    /// <summary>
    /// Validates and compiles; given the config that serves, reuses what did not change: the whole <c>ReverseProxy</c>
    /// section when its text is the same, otherwise every route and cluster whose text is the same, and every lane
    /// group whose text is the same. <paramref name="validator"/> runs YARP's own checks on what is read anew.
    /// </summary>
    public static CompiledConfig? Compile(ConfigTree configuration, string baseDirectory, List<ConfigProblem> problems, CompiledConfig? previous, IConfigValidator validator)
    {
        var before = problems.Count;
        var reader = new ConfigReader(problems);
        var proxy = previous is not null && previous.Tree.SameSection(configuration, ProxyConfigReader.SectionName)
            ? previous.Proxy
            : ProxyConfigReader.Read(configuration, reader, validator, previous?.Proxy ?? ProxyConfigSet.Empty);
        var groups = (previous?.Groups ?? LaneGroupCache.Empty).Next();
        var options = LanesOptionsReader.Read(configuration.GetSection(LanesOptions.SectionName), problems, groups);
        var snapshot = GatewaySnapshotCompiler.Compile(options, proxy.RouteIds, baseDirectory, configuration.Revision, problems, groups);

        // Problems found while reading (a misspelt key, a bad enum) count as much as those found while compiling.
        return problems.Count > before || snapshot is null ? null : new CompiledConfig(configuration, proxy, snapshot, groups.Build(), groups.Reused);
    }

    /// <summary>Loads the source into a fresh configuration; a file that is missing or not JSON is one problem.</summary>
    public static ConfigTree? Load(GatewayConfigSource source, List<ConfigProblem> problems)
    {
        try
        {
            return Parse(source.Read(), source.Description, problems);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(source.Description, ex.Message));
            return null;
        }
    }

    /// <summary>Parses JSON config bytes; JSON that does not parse is one problem.</summary>
    public static ConfigTree? Parse(byte[] content, string description, List<ConfigProblem> problems)
    {
        try
        {
            return ConfigTree.Parse(content);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            problems.Add(new ConfigProblem(description, ex.InnerException?.Message ?? ex.Message));
            return null;
        }
    }
}
