using System.Runtime.InteropServices;
using System.Text;

namespace Downloader.Core.Tests;

/// <summary>
/// A folder's note (<c>user.downloader.unflushed</c>) read and written as the raw attribute, as a test simulates a
/// restart or a kill: independent of the engine's own reader.
/// </summary>
public static class FolderNoteAttribute
{
    private const string Name = "user.downloader.unflushed";

    /// <summary>This boot's id, as the engine writes it into the note.</summary>
    public static string BootId => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();

    /// <summary>The note's text; null where the folder has none.</summary>
    public static string? Read(string folder)
    {
        var buffer = new byte[4096];
        long length = getxattr(folder, Name, buffer, buffer.Length);
        return length > 0 ? Encoding.ASCII.GetString(buffer, 0, (int)length) : null;
    }

    public static void Write(string folder, string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(0, setxattr(folder, Name, bytes, bytes.Length, 0));
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint getxattr(string path, string name, byte[] value, nint size);

    [DllImport("libc", SetLastError = true)]
    private static extern int setxattr(string path, string name, byte[] value, nint size, int flags);
}
