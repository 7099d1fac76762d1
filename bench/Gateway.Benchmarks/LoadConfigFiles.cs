using System.Globalization;

namespace Gateway.Benchmarks;

/// <summary>
/// <c>bench/load.sh</c>'s small and big configs (<see cref="LoadConfigs"/>) as files in a temporary directory, deleted
/// on dispose: what <c>grow-memory</c> and <c>grow-reload</c> run on when given no files. No traffic reaches the
/// destinations, so their ports are those of load.sh's default <c>--port-base</c>.
/// </summary>
internal sealed class LoadConfigFiles : IDisposable
{
    private const int BasePort = 18100;
    private const int GrayPort = 18101;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("gateway-bench-configs-");

    public LoadConfigFiles(int routes)
    {
        Small = Write("lanes.json", LoadConfigs.Small(BasePort, GrayPort, withLanes: true));
        Big = Write("big.json", LoadConfigs.Big(BasePort, GrayPort, routes, editedLane: false, addedRoute: false));
        GrowProbe = "/r" + (routes - 1).ToString(CultureInfo.InvariantCulture) + "/x";
    }

    public string Small { get; }

    public string Big { get; }

    /// <summary>A path only the big config routes, as load.sh's grow probe.</summary>
    public string GrowProbe { get; }

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string name, System.Text.Json.Nodes.JsonObject config)
    {
        var file = Path.Combine(_directory.FullName, name);
        File.WriteAllBytes(file, LoadConfigs.ToUtf8(config));
        return file;
    }
}
