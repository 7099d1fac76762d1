using System.Buffers;
using Gateway.Host.Config;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Host.Reload;

/// <summary>
/// The watched config file's content, read only when it may have changed. A check looks at the file's size and
/// modification time (symlinks followed); only when they differ, when the file was written in the last seconds
/// (file-system clocks tick coarsely, so two writes can share a timestamp) or every <see cref="FullCheckEvery"/> checks
/// is it read and compared with the content last read, so a large config is not read four times a second.
/// </summary>
internal sealed class ChangedFile(string path)
{
    /// <summary>Every this many checks the file is read and compared even when its size and time are unchanged.</summary>
    public const int FullCheckEvery = 40;

    /// <summary>A file written more recently than this is read and compared on every check: a second write may keep its timestamp.</summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private (long Length, DateTime LastWrite) _lastStamp;
    private int _checksSinceRead;

    /// <summary>The content last read (applied or not).</summary>
    public byte[] Content { get; set; } = [];

    /// <summary>
    /// The file's content when it differs from <see cref="Content"/> (which it then becomes), else null. Throws
    /// <see cref="IOException"/> when the file is missing, not a regular file, or over the size limit.
    /// </summary>
    public byte[]? ReadIfChanged(bool force = false)
    {
        RegularFile.Check(path);
        using var handle = File.OpenHandle(path);
        var stamp = (Length: RandomAccess.GetLength(handle), LastWrite: File.GetLastWriteTimeUtc(handle));
        var settled = DateTime.UtcNow - stamp.LastWrite > RacyWindow;
        var sameStamp = stamp == _lastStamp;
        if (!force && sameStamp && settled && ++_checksSinceRead < FullCheckEvery)
        {
            return null;
        }

        _lastStamp = stamp;
        _checksSinceRead = 0;

        // Same size and time, looked at only because the file is young or for the periodic check: nearly always the
        // content last read, compared through a small pooled buffer so a large config leaves no large-object garbage.
        if (stamp.Length > RegularFile.MaxBytes)
        {
            throw new IOException("'" + path + "' grew larger than the config size limit");
        }

        if (sameStamp && SameContent(handle, Content))
        {
            return null;
        }

        var content = RegularFile.ReadAll(handle, stamp.Length);
        if (content.AsSpan().SequenceEqual(Content))
        {
            return null;
        }

        Content = content;
        return content;
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
