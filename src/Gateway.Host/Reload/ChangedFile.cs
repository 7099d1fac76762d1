using System.Buffers;
using Microsoft.Win32.SafeHandles;

using Files = Gateway.Routing.Files;

namespace Gateway.Host.Reload;

/// <summary>
/// The config file's content, read only when it is a regular file (symlinks followed, as a Kubernetes ConfigMap swaps
/// them) of at most <see cref="MaxBytes"/>: opening a FIFO blocks until someone writes to it, and <c>/dev/zero</c> or a
/// huge file would fill memory. Watched, it is read only when it may have changed: when its size or modification time
/// differ, when it was written in the last seconds (file-system clocks tick coarsely, so two writes can share a
/// timestamp), or every <see cref="FullCheckEvery"/> checks; so a large config is not read four times a second.
/// </summary>
internal sealed class ChangedFile(string path)
{
    /// <summary>The largest config file read: room for tens of thousands of routes, far from what would strain memory.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>Every this many checks the file is read and compared even when its size and time are unchanged.</summary>
    public const int FullCheckEvery = 40;

    /// <summary>A file written more recently than this is read and compared on every check: a second write may keep its timestamp.</summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private (long Length, DateTime LastWrite) _lastStamp;
    private int _checksSinceRead;

    /// <summary>The content last read (applied or not).</summary>
    public byte[] Content { get; set; } = [];

    /// <summary>The whole file; throws <see cref="IOException"/> when it is not a regular file within the limit.</summary>
    public static byte[] Read(string path) => new ChangedFile(path).ReadIfChanged(force: true) ?? [];

    /// <summary>
    /// The file's content when it differs from <see cref="Content"/> (which it then becomes), else null. Throws
    /// <see cref="IOException"/> when the file is missing, not a regular file, or over the size limit.
    /// </summary>
    public byte[]? ReadIfChanged(bool force = false)
    {
        if (Files.RegularFile.Problem(path, long.MaxValue, out var missing) is { } problem)
        {
            throw missing ? new FileNotFoundException("'" + path + "' does not exist", path) : new IOException(problem);
        }

        using var handle = File.OpenHandle(path);
        var stamp = (Length: RandomAccess.GetLength(handle), LastWrite: File.GetLastWriteTimeUtc(handle));
        if (stamp.Length > MaxBytes)
        {
            throw new IOException("'" + path + "' is larger than " + MaxBytes / (1024 * 1024) + " MB, the limit for a config file");
        }

        var sameStamp = stamp == _lastStamp;
        if (!force && sameStamp && DateTime.UtcNow - stamp.LastWrite > RacyWindow && ++_checksSinceRead < FullCheckEvery)
        {
            return null;
        }

        _lastStamp = stamp;
        _checksSinceRead = 0;

        // Same size and time, looked at only because the file is young or for the periodic check: nearly always the
        // content last read, compared through a small pooled buffer so a large config leaves no large-object garbage.
        if (sameStamp && SameContent(handle, Content))
        {
            return null;
        }

        var content = new byte[stamp.Length];
        var read = 0;
        while (read < content.Length && RandomAccess.Read(handle, content.AsSpan(read), read) is var count and > 0)
        {
            read += count;
        }

        content = read == content.Length ? content : content[..read];
        return content.AsSpan().SequenceEqual(Content) ? null : Content = content;
    }

    private static bool SameContent(SafeFileHandle handle, byte[] expected)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var offset = 0;
            while (RandomAccess.Read(handle, buffer, offset) is var count and > 0)
            {
                if (count > expected.Length - offset || !buffer.AsSpan(0, count).SequenceEqual(expected.AsSpan(offset, count)))
                {
                    return false;
                }

                offset += count;
            }

            return offset == expected.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
