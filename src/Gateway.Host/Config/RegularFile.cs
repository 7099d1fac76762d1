using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Gateway.Host.Config;

/// <summary>
/// Reads a config file only when it is a regular file (symlinks followed, as a Kubernetes ConfigMap swaps them) of at
/// most <see cref="MaxBytes"/>: opening a FIFO blocks until someone writes to it, and <c>/dev/zero</c> or a huge file
/// would fill memory. Anything else is an <see cref="IOException"/> naming what the path is.
/// </summary>
internal static class RegularFile
{
    /// <summary>The largest config file read: room for tens of thousands of routes, far from what would strain memory.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private const int TypeMask = 0xF000;

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
        var status = new byte[256];
        int result;
        try
        {
            result = Stat(path, status);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not on a Unix runtime: the size limit still holds.
            return;
        }

        if (result != 0)
        {
            throw new FileNotFoundException("'" + path + "' does not exist or cannot be looked at", path);
        }

        // The runtime's native layer reports the mode in its own platform-independent bits, after the flags word.
        var kind = BitConverter.ToInt32(status, 4) & TypeMask;
        if (kind != 0x8000)
        {
            throw new IOException("'" + path + "' is " + kind switch
            {
                0x4000 => "a directory",
                0x1000 => "a FIFO (named pipe)",
                0x2000 => "a character device",
                0x6000 => "a block device",
                0xC000 => "a socket",
                _ => "not a regular file",
            } + ", not a regular file");
        }

        if (BitConverter.ToInt64(status, 16) > MaxBytes)
        {
            throw TooLarge(path);
        }
    }

    private static IOException TooLarge(string path) => new("'" + path + "' is larger than " + MaxBytes / (1024 * 1024) + " MB, the limit for a config file");

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] status);
}
