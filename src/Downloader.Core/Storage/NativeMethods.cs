using System.Runtime.InteropServices;

namespace Downloader.Core.Storage;

/// <summary>
/// The few Linux calls .NET has no single-call equivalent for. Callers check the platform first and fall back to the
/// portable API when a call is missing (a libc without it) or refused (a file system without the flag).
/// </summary>
internal static class NativeMethods
{
    public const int AtFdCwd = -100;
    public const uint RenameNoReplace = 1;
    public const int EExist = 17;

    /// <summary>fdatasync(2): this file's bytes and length reach the disk; nothing of any other file is flushed.</summary>
    [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the C names
    public static extern int fdatasync(int fd);

    /// <summary>renameat2(2) with RENAME_NOREPLACE: one atomic call that fails with EEXIST instead of overwriting.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int renameat2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    /// <summary>rename(2): replaces the destination atomically.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int rename(string oldpath, string newpath);
#pragma warning restore SA1300, IDE1006
}
