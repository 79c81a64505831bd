using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Downloader.Core.Storage;

/// <summary>
/// The one owner of a destination across processes: <c>NAME.downloader.lock</c>, opened exclusively while a download
/// decides about NAME and writes its part and state files. The lock belongs to the open file, so it dies with the
/// process: a killed run never blocks the next one, which finds the file unlocked and takes it over.
/// </summary>
/// <remarks>
/// <para>On Linux and macOS the lock is <c>flock(LOCK_EX | LOCK_NB)</c>, taken by this class itself: .NET takes the same
/// lock for an open with <see cref="FileShare.None"/>, but not where a host turns its file locking off (the CLI does, see
/// its project file). flock belongs to the open file, so two opens conflict in one process as in two. On Windows the
/// share mode does it. <see cref="FileStream.Lock"/> is not used: on Linux it is a POSIX record lock, which never
/// conflicts within one process and is dropped when the process closes any handle to the file.</para>
/// <para>The owner writes its process id and the URL into the file for whoever finds it locked. On Windows the owner
/// shares reading (and deletes the file on close), so a reader opens it normally; on Linux and macOS a .NET open would
/// ask for a shared flock and fail, so the reader uses plain <c>open</c>/<c>read</c>, which flock does not stop.</para>
/// <para>The file is removed when its owner is done, so none is left beside a finished file. On Linux a run that opened
/// the file just before its owner removed it would lock a file no longer there, while a third run creates and locks a
/// new one: so after locking, the owner checks through <c>/proc/self/fd</c> that its file still has its name.</para>
/// </remarks>
internal sealed class TargetLock : IDisposable
{
    public const string Extension = ".downloader.lock";
    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
    private const int AtEmptyPath = 0x1000;
    private const uint StatxNlink = 0x4;
    // .NET's IOException for a refused flock carries the errno: EWOULDBLOCK.
    private const int EWouldBlockLinux = 11;
    private const int EWouldBlockMac = 35;
    private const int SharingViolation = unchecked((int)0x80070020);

    // How long a taker keeps trying while the lock changes hands under it. Two takers that each lose the race to the
    // other's remove-and-retake (the file gone before its open, or unnamed before its lock) can go on losing in lock
    // step: twenty tries with no pause between them were once all lost in CI. Past the first tries a taker pauses a
    // little longer each time, so the two fall out of step, and only gives up after this long.
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(10);
    private const int OwnerReadTries = 20;

    // statx's answer, one buffer per thread: the check runs once per file.
    [ThreadStatic]
    private static byte[]? StatxBuffer;

    private readonly FileStream? _stream;
    private readonly string _path;

    private TargetLock(FileStream? stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    /// <summary>
    /// Locks <paramref name="target"/> for a download of <paramref name="url"/>; null when another download holds it,
    /// described in <paramref name="owner"/>. A folder where no lock file can be made (read-only) gets a lock that
    /// holds nothing: nothing can be written there either, so there is nothing to share.
    /// </summary>
    public static TargetLock? TryAcquire(string target, Uri url, out LockOwner? owner)
    {
        string path = target + Extension;
        owner = null;
        var clock = Stopwatch.StartNew();
        for (int attempt = 0; clock.Elapsed < GiveUpAfter; attempt++)
        {
            PauseBefore(attempt);
            FileStream? stream;
            int descriptor;
            try
            {
                stream = OpenLocked(path, out descriptor);
            }
            catch (DirectoryNotFoundException)
            {
                CreateFolder(target);
                continue;
            }
            catch (FileNotFoundException)
            {
                // The owner removed it while we opened it (see Dispose; seen in CI): gone, so unowned; try again.
                continue;
            }
            catch (IOException e)
            {
                throw new DownloadException(DownloadErrorKind.Storage, $"Cannot lock '{path}': {e.Message}", e);
            }
            catch (UnauthorizedAccessException) when (!File.Exists(path))
            {
                return new TargetLock(null, path);
            }
            catch (UnauthorizedAccessException)
            {
                // Windows: the file is being deleted by its owner, which is done with it; the next try pauses.
                continue;
            }

            if (stream == null)
            {
                owner = Holder(path, lastTry: attempt >= OwnerReadTries - 1);
                if (owner != null)
                {
                    return null;
                }

                continue;
            }

            if (!StillNamed(descriptor))
            {
                stream.Dispose();
                continue;
            }

            return Own(stream, path, url);
        }

        throw new DownloadException(DownloadErrorKind.Storage, $"Cannot lock '{path}': it kept changing hands.");
    }

    /// <summary>No pause for the first tries (the usual race is over at once); then 1 ms more each time, up to 10.</summary>
    private static void PauseBefore(int attempt)
    {
        if (attempt >= 3)
        {
            Thread.Sleep(Math.Min(attempt - 2, 10));
        }
    }

    /// <summary>The lock, once this process has written itself into the locked file for whoever finds it held.</summary>
    private static TargetLock Own(FileStream stream, string path, Uri url)
    {
        // Written over whatever a killed owner left, not truncated first (a call per file saved): a reader takes the
        // first two lines, and these are whole.
        byte[] text = Encoding.UTF8.GetBytes($"{LockOwner.ThisProcessId}\n{Http.UserInfo.Redacted(url).AbsoluteUri}\n");
        stream.Write(text, 0, text.Length);
        stream.Flush();
        return new TargetLock(stream, path);
    }

    /// <summary>
    /// Who holds the locked file; null (after a short wait, to try again) while its owner has not written itself into
    /// it yet or has just removed it. The last try settles for <see cref="LockOwner.Unknown"/>.
    /// </summary>
    private static LockOwner? Holder(string path, bool lastTry)
    {
        LockOwner? owner = LockOwner.Read(path);
        if (owner == null && !lastTry)
        {
            Thread.Sleep(5);
            return null;
        }

        return owner ?? LockOwner.Unknown;
    }

    public void Dispose()
    {
        if (_stream == null)
        {
            return;
        }

        if (!IsWindows)
        {
            // Removed while still locked: whoever opened it meanwhile finds it gone (see the remarks), never unowned.
            DownloadFiles.TryDelete(_path);
        }

        _stream.Dispose();
    }

    private static void CreateFolder(string target)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot create the folder for '{target}': {e.Message}", e);
        }
    }

    /// <summary>The lock file, opened and locked, and its descriptor (Linux and macOS); null when another open holds it.</summary>
    /// <remarks>The descriptor is read once: each read of <see cref="FileStream.SafeFileHandle"/> costs a seek.</remarks>
    private static FileStream? OpenLocked(string path, out int descriptor)
    {
        descriptor = -1;
        if (IsWindows)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException e) when (File.Exists(path) || e.HResult == SharingViolation)
            {
                return null;
            }
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1);
        }
        catch (IOException e) when (File.Exists(path) || e.HResult is EWouldBlockLinux or EWouldBlockMac)
        {
            // .NET's own flock refused it (where file locking is on, as in PowerShell); when the file is gone by the
            // time of this check, its owner removed it just after refusing us (see Dispose): the caller looks again.
            return null;
        }

        // Our own flock, whatever the host's setting: the CLI turns .NET's file locking off (System.IO.DisableFileLocking).
        descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt32();
        if (NativeMethods.flock(descriptor, NativeMethods.LockExclusive | NativeMethods.LockNonBlocking) != 0)
        {
            stream.Dispose();
            return null;
        }

        return stream;
    }

    /// <summary>False when the locked file was removed by its last owner between our open and our lock (Linux).</summary>
    /// <remarks>
    /// Asked of the descriptor (statx with AT_EMPTY_PATH: a removed file has no link left), which walks no path and
    /// allocates nothing per file; readlink of <c>/proc/self/fd/N</c>, which looks the descriptor up through procfs, is
    /// the fallback where statx is missing.
    /// </remarks>
    internal static bool StillNamed(int fd)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return true;
        }

        try
        {
            byte[] buffer = StatxBuffer ??= new byte[256];
            if (NativeMethods.statx(fd, string.Empty, AtEmptyPath, StatxNlink, buffer) == 0 && (BitConverter.ToUInt32(buffer, 0) & StatxNlink) != 0)
            {
                // struct statx: stx_nlink at byte 16.
                return BitConverter.ToUInt32(buffer, 16) > 0;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }

        return StillNamedByProc(fd);
    }

    private static bool StillNamedByProc(int fd)
    {
        try
        {
            var buffer = new byte[4096];
            long length = NativeMethods.readlink($"/proc/self/fd/{fd}", buffer, (IntPtr)buffer.Length).ToInt64();
            return length <= 0 || !Encoding.UTF8.GetString(buffer, 0, (int)length).EndsWith(" (deleted)", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }
}
