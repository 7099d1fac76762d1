using Microsoft.Win32.SafeHandles;

using Files = Gateway.Routing.Files;

namespace Gateway.Host.Config;

/// <summary>
/// Reads a config file only when it is a regular file (symlinks followed, as a Kubernetes ConfigMap swaps them) of at
/// most <see cref="MaxBytes"/>: opening a FIFO blocks until someone writes to it, and <c>/dev/zero</c> or a huge file
/// would fill memory. Anything else is an <see cref="IOException"/> naming what the path is (the check itself is
/// <see cref="Files.RegularFile"/>, shared with the city database).
/// </summary>
internal static class RegularFile
{
    /// <summary>The largest config file read: room for tens of thousands of routes, far from what would strain memory.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The whole file, checked first; throws <see cref="IOException"/> when it is not a regular file within the limit.</summary>
    public static byte[] Read(string path)
    {
        Check(path);
        using var handle = File.OpenHandle(path);
        var length = RandomAccess.GetLength(handle);
        if (length > MaxBytes)
        {
            throw TooLarge(path);
        }

        return ReadAll(handle, length);
    }

    /// <summary>Up to <paramref name="length"/> bytes from the start of the file (fewer when it shrank meanwhile).</summary>
    public static byte[] ReadAll(SafeFileHandle handle, long length)
    {
        var content = new byte[length];
        var read = 0;
        while (read < content.Length && RandomAccess.Read(handle, content.AsSpan(read), read) is var count and > 0)
        {
            read += count;
        }

        return read == content.Length ? content : content[..read];
    }

    /// <summary>Throws unless <paramref name="path"/> (symlinks followed) is a regular file of at most <see cref="MaxBytes"/>.</summary>
    public static void Check(string path)
    {
        if (Files.RegularFile.Problem(path, long.MaxValue, out var missing) is { } problem)
        {
            throw missing ? new FileNotFoundException("'" + path + "' does not exist", path) : new IOException(problem);
        }

        if (new FileInfo(path).Length > MaxBytes)
        {
            throw TooLarge(path);
        }
    }

    private static IOException TooLarge(string path) => new("'" + path + "' is larger than " + MaxBytes / (1024 * 1024) + " MB, the limit for a config file");
}
