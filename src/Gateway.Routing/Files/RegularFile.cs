using System.Globalization;
using System.Runtime.InteropServices;

namespace Gateway.Routing.Files;

/// <summary>
/// Checks that a path names a regular file of bounded size before anything opens it. Opening a FIFO blocks until
/// a writer appears (forever, for a file nobody writes), and a device such as <c>/dev/zero</c> never ends; .NET's
/// file APIs report both as ordinary empty files, so on Linux the type comes from <c>statx(2)</c>. Used for every file
/// the gateway reads that a user names: the config file and the city database.
/// </summary>
internal static partial class RegularFile
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const uint StatxSize = 0x200;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int TypeMask = 0xF000;

    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;

    /// <summary>Null when <paramref name="path"/> (links followed) is a readable regular file of at most <paramref name="maxBytes"/>; else the problem, naming the path.</summary>
    public static string? Problem(string path, long maxBytes) => Problem(path, maxBytes, out _);

    /// <inheritdoc cref="Problem(string, long)"/>
    /// <param name="missing">True when the problem is that nothing is at the path (or a link there leads nowhere).</param>
    public static string? Problem(string path, long maxBytes, out bool missing)
    {
        var (type, length, error) = Stat(path);
        missing = error is { Missing: true };
        if (error is not null)
        {
            return "cannot read '" + path + "': " + error.Value.Message;
        }

        if (type is not null)
        {
            return "'" + path + "' is " + type + ", not a regular file";
        }

        return length > maxBytes
            ? "'" + path + "' is " + length.ToString("N0", CultureInfo.InvariantCulture) + " bytes, over the limit of "
                + maxBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes"
            : null;
    }

    /// <summary>The kind of file when it is not a regular one (else null), its length, or why it cannot be read.</summary>
    private static (string? Type, long Length, (string Message, bool Missing)? Error) Stat(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[256];
            try
            {
                if (Statx(AtFdCwd, path, 0, StatxType | StatxSize, buffer) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return (null, 0, (Marshal.GetPInvokeErrorMessage(errno), errno is NoSuchFile or NotADirectory));
                }

                var mode = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
                return (TypeName(mode), BitConverter.ToInt64(buffer, SizeOffset), null);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // A C library without statx (glibc before 2.28) or not found: fall through to what .NET can tell.
            }
        }

        if (Directory.Exists(path))
        {
            return ("a directory", 0, null);
        }

        var file = new FileInfo(path);
        return file.Exists ? (null, file.Length, null) : (null, 0, ("no such file", true));
    }

    private static string? TypeName(int mode) => mode switch
    {
        0x8000 => null,
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "an unknown kind of file",
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
