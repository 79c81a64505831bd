using System.Runtime.InteropServices;

namespace Downloader.Core.Storage;

internal static class NativeMethods
{
    /// <summary>syncfs(2): commit every file system buffer of the file system holding <paramref name="fd"/>.</summary>
    [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the C name
    public static extern int syncfs(int fd);
#pragma warning restore SA1300, IDE1006
}
