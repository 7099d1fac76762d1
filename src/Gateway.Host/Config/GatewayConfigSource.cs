using System.Text;

namespace Gateway.Host.Config;

/// <summary>Where the gateway config comes from: a JSON file (<c>--config</c>) or JSON text (the demo, tests).</summary>
internal sealed class GatewayConfigSource
{
    private GatewayConfigSource(string? file, string? json, string baseDirectory)
    {
        File = file;
        Json = json;
        BaseDirectory = baseDirectory;
    }

    public string? File { get; }

    public string? Json { get; }

    /// <summary>Relative paths in the config (the city database) are resolved against this directory.</summary>
    public string BaseDirectory { get; }

    public string Description => File ?? "embedded config";

    public static GatewayConfigSource FromFile(string path)
    {
        var full = Path.GetFullPath(path);
        return new GatewayConfigSource(full, null, Path.GetDirectoryName(full)!);
    }

    public static GatewayConfigSource FromJson(string json, string? baseDirectory = null) =>
        new(null, json, baseDirectory ?? Directory.GetCurrentDirectory());

    public IConfigurationBuilder AddTo(IConfigurationBuilder builder) => File is not null
        ? builder.AddJsonFile(File, optional: false, reloadOnChange: false)
        : builder.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(Json!)));
}
