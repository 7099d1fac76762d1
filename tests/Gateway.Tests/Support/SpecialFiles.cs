using System.Runtime.InteropServices;

namespace Gateway.Tests.Support;

/// <summary>Files a config path must never be read as: a FIFO (opening it blocks) and a huge sparse file.</summary>
internal static class SpecialFiles
{
    public static void MakeFifo(string path)
    {
        if (MakeFifo(path, Convert.ToInt32("600", 8)) != 0)
        {
            throw new IOException("mkfifo failed: errno " + Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>A file of <paramref name="bytes"/> that takes no disk space (a hole).</summary>
    public static void MakeSparse(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.SetLength(bytes);
    }

    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, int mode);
}
