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
    public const int ReadOnly = 0;
    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

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
    /// <summary>readlink(2): where /proc/self/fd/N points, " (deleted)" appended once the file has lost its name.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern System.IntPtr readlink(string path, byte[] buffer, System.IntPtr size);

    /// <summary>flock(2): an advisory lock on the open file, released when it is closed (or its process ends).</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int flock(int fd, int operation);

    /// <summary>open(2), read(2), close(2): reading a file another process holds an exclusive flock on.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern System.IntPtr read(int fd, byte[] buffer, System.IntPtr count);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    /// <summary>getuid(2): the user id launchd names a user's session by (gui/UID).</summary>
    [DllImport("libc")]
    public static extern uint getuid();
#pragma warning restore SA1300, IDE1006
}
