using System.Text;
using Gateway.Host.Reload;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>Where the gateway config comes from: a JSON file (<c>--config</c>, watched for changes) or JSON text (the demo, tests).</summary>
/// <param name="BaseDirectory">Relative paths in the config (the city database) are resolved against this directory.</param>
internal sealed record GatewayConfigSource(string? File, string? Json, string BaseDirectory, string Description)
{
    public static GatewayConfigSource FromFile(string path)
    {
        var full = Path.GetFullPath(path);
        return new GatewayConfigSource(full, null, Path.GetDirectoryName(full)!, full);
    }

    public static GatewayConfigSource FromJson(string json, string? baseDirectory = null, string description = "embedded config") =>
        new(null, json, baseDirectory ?? Directory.GetCurrentDirectory(), description);

    /// <summary>The config's bytes (the file is read now, only if it is a regular file within the size limit).</summary>
    public byte[] Read() => File is not null ? ChangedFile.Read(File) : Encoding.UTF8.GetBytes(Json!);

    /// <summary>The config's bytes, or null with the reason as a problem.</summary>
    public byte[]? TryRead(List<ConfigProblem> problems)
    {
        try
        {
            return Read();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ConfigProblem(Description, ex.Message));
            return null;
        }
    }
}
