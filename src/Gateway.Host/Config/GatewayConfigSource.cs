using System.Text;
using Gateway.Routing.Config;

namespace Gateway.Host.Config;

/// <summary>Where the gateway config comes from: a JSON file (<c>--config</c>, watched for changes) or JSON text (the demo, tests).</summary>
internal sealed class GatewayConfigSource
{
    private GatewayConfigSource(string? file, string? json, string baseDirectory, string description)
    {
        File = file;
        Json = json;
        BaseDirectory = baseDirectory;
        Description = description;
    }

    public string? File { get; }

    public string? Json { get; }

    /// <summary>Relative paths in the config (the city database) are resolved against this directory.</summary>
    public string BaseDirectory { get; }

    public string Description { get; }

    public static GatewayConfigSource FromFile(string path)
    {
        var full = Path.GetFullPath(path);
        return new GatewayConfigSource(full, null, Path.GetDirectoryName(full)!, full);
    }

    public static GatewayConfigSource FromJson(string json, string? baseDirectory = null, string description = "embedded config") =>
        new(null, json, baseDirectory ?? Directory.GetCurrentDirectory(), description);

    /// <summary>The config's bytes (the file is read now, only if it is a regular file within the size limit).</summary>
    public byte[] Read() => File is not null ? RegularFile.Read(File) : Encoding.UTF8.GetBytes(Json!);

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
