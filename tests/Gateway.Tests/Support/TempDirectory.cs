namespace Gateway.Tests.Support;

/// <summary>A temporary directory for config files, deleted with everything in it when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("lanes-test-").FullName;

    /// <summary>Writes a file (a config builder's JSON, or text) and returns its full path.</summary>
    public string Write(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, content);
        return file;
    }

    public string Write(string name, GatewayConfigBuilder config) => Write(name, config.ToJson());

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
