namespace Gateway.Tests.Support;

/// <summary>
/// A config file the way a test wants to change it: rewritten in place, or mounted like a Kubernetes ConfigMap
/// (<c>gateway.json -> ..data/gateway.json</c>, <c>..data -> ..v1</c>) and changed by an atomic symlink swap.
/// </summary>
internal sealed class ConfigDirectory : IDisposable
{
    private int _version;

    public ConfigDirectory(string initialJson, bool mounted)
    {
        Root = Directory.CreateTempSubdirectory("lanes-config-").FullName;
        File = System.IO.Path.Combine(Root, "gateway.json");
        if (mounted)
        {
            var first = WriteVersion(initialJson);
            System.IO.File.CreateSymbolicLink(DataLink, first);
            System.IO.File.CreateSymbolicLink(File, System.IO.Path.Combine("..data", "gateway.json"));
        }
        else
        {
            System.IO.File.WriteAllText(File, initialJson);
        }
    }

    public string Root { get; }

    public string File { get; }

    private string DataLink => System.IO.Path.Combine(Root, "..data");

    public void Rewrite(string json) => System.IO.File.WriteAllText(File, json);

    /// <summary>What the kubelet does: write a new version directory, then rename a new ..data link over the old one.</summary>
    public void SwapSymlink(string json)
    {
        var version = WriteVersion(json);
        var temporary = System.IO.Path.Combine(Root, "..data_tmp");
        System.IO.File.CreateSymbolicLink(temporary, version);
        if (Rename(temporary, DataLink) != 0)
        {
            throw new IOException("rename failed: errno " + System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    /// <summary>rename(2) replaces the link atomically, as the kubelet does (File.Move refuses a link to a directory).</summary>
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int Rename(string oldPath, string newPath);

    private string WriteVersion(string json)
    {
        var directory = System.IO.Path.Combine(Root, "..v" + ++_version);
        Directory.CreateDirectory(directory);
        System.IO.File.WriteAllText(System.IO.Path.Combine(directory, "gateway.json"), json);
        return System.IO.Path.GetFileName(directory);
    }
}
