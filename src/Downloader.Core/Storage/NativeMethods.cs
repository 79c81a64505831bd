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
    public const long UtimeOmit = (1L << 30) - 2;

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

    /// <summary>fsync(2), here of a folder: its names and attributes reach the disk.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int fsync(int fd);

    /// <summary>
    /// syncfs(2): every dirty page and name of the file system holding fd reaches the disk; once at the end of a run,
    /// never per file (it writes other programs' data too).
    /// </summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int syncfs(int fd);

    /// <summary>getxattr(2), fgetxattr(2), fsetxattr(2): a folder's note of the files renamed into it unflushed.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern System.IntPtr getxattr(string path, string name, byte[] value, System.IntPtr size);

    [DllImport("libc", SetLastError = true)]
    public static extern System.IntPtr fgetxattr(int fd, string name, byte[] value, System.IntPtr size);

    [DllImport("libc", SetLastError = true)]
    public static extern int fsetxattr(int fd, string name, byte[] value, System.IntPtr size, int flags);

    /// <summary>clock_gettime(2), here of CLOCK_REALTIME_COARSE: the clock the kernel stamps change times with.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int clock_gettime(int clock, out TimeSpec time);

    /// <summary>
    /// futimens(2): sets the open file's times in one call; with UTIME_OMIT for the access time, the last-write time
    /// alone (.NET's setter reads the file's times first, one fstat more per file).
    /// </summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int futimens(int fd, TimeSpec[] times);

    /// <summary>statx(2), for a file's change time: every rename sets it, and no tool can set it back.</summary>
    [DllImport("libc", SetLastError = true)]
    public static extern int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>getuid(2): the user id launchd names a user's session by (gui/UID).</summary>
    [DllImport("libc")]
    public static extern uint getuid();
#pragma warning restore SA1300, IDE1006

    /// <summary>struct timespec on a 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
