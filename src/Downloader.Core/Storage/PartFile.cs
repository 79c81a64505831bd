using System;
using System.IO;
using System.Runtime.InteropServices;
#if NET8_0_OR_GREATER
using Microsoft.Win32.SafeHandles;
#endif

namespace Downloader.Core.Storage;

/// <summary>
/// The <c>.part</c> file: written at any offset by many connections at once, flushed to disk before the state file
/// may record its bytes, and renamed to the final name only when complete.
/// </summary>
/// <remarks>
/// On .NET 8 and later the file is a bare handle written with positioned writes (one <c>pwrite</c> per buffer, no
/// seeks, no stream position to keep), created with <see cref="FileMode.CreateNew"/> so a fresh file costs one
/// <c>open</c> and no truncate; only a stale part file left by an earlier run pays for a delete and a second open.
/// A list of 100,000 small files spends its time in such per-file calls, so each one counts.
/// </remarks>
internal sealed class PartFile : IContentSink, IDisposable
{
    public const string Extension = ".part";
    private static readonly bool IsLinux = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

    private readonly string _path;
    private volatile bool _written;
#if NET8_0_OR_GREATER
    private readonly SafeFileHandle _handle;
    private FileStream? _stream;

    private PartFile(SafeFileHandle handle, string path)
    {
        _handle = handle;
        _path = path;
    }
#else
    private readonly FileStream _stream;
    private readonly object _gate = new();

    private PartFile(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }
#endif

    public string Path => _path;

    /// <summary>
    /// Creates the part file, replacing a stale one. With <paramref name="preallocate"/> its full length is reserved up
    /// front, which pays off when many connections write far apart; a file written in one piece needs none of it.
    /// </summary>
    public static PartFile Create(string path, long length, bool preallocate)
    {
#if NET8_0_OR_GREATER
        long reserve = preallocate ? Math.Max(0, length) : 0;
        SafeFileHandle handle = Wrap(path, () =>
        {
            try
            {
                return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, reserve);
            }
            catch (IOException) when (File.Exists(path))
            {
                // A part file of another version or another run: start afresh.
                File.Delete(path);
                return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, reserve);
            }
        });
        var part = new PartFile(handle, path);
        if (reserve > 0 && RandomAccess.GetLength(handle) < reserve)
        {
            // Where the file system cannot reserve space, a sparse file of the full length still gives every range
            // its place.
            Wrap(path, () => part.Stream().SetLength(reserve));
        }

        return part;
#else
        FileStream stream = Wrap(path, () => new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1));
        if (preallocate && length > 0)
        {
            Wrap(path, () => stream.SetLength(length));
        }

        return new PartFile(stream, path);
#endif
    }

    /// <summary>Opens an existing part file, bytes and all (a resume).</summary>
    public static PartFile Open(string path)
    {
#if NET8_0_OR_GREATER
        var part = new PartFile(Wrap(path, () => File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read)), path);
#else
        var part = new PartFile(Wrap(path, () => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1)), path);
#endif
        part._written = true;
        return part;
    }

    public void Write(long offset, byte[] buffer, int count)
    {
        _written = true;
        Wrap(_path, () =>
        {
#if NET8_0_OR_GREATER
            RandomAccess.Write(_handle, new ReadOnlySpan<byte>(buffer, 0, count), offset);
#else
            lock (_gate)
            {
                _stream.Seek(offset, SeekOrigin.Begin);
                _stream.Write(buffer, 0, count);
            }
#endif
        });
    }

    /// <summary>
    /// Empties the file: a single stream that broke starts again from byte 0. A file nothing was written to since it
    /// was created (every single stream's first attempt) is left alone, which spares a list of small files a stream
    /// object, a seek and a truncate each.
    /// </summary>
    public void Reset()
    {
        if (_written)
        {
            Wrap(_path, () => Stream().SetLength(0));
            _written = false;
        }
    }

    /// <summary>
    /// Forces this file's written bytes to the disk, so that a state file written afterwards never overstates them and
    /// a rename afterwards never publishes a name whose bytes a power loss could take back. Only this file is flushed:
    /// on Linux <c>fdatasync</c>, elsewhere the stream's flush to disk.
    /// </summary>
    public void FlushToDisk()
    {
        Wrap(_path, () =>
        {
            if (IsLinux && TryDataSync())
            {
                return;
            }

#if NET8_0_OR_GREATER
            Stream().Flush(flushToDisk: true);
#else
            lock (_gate)
            {
                _stream.Flush(flushToDisk: true);
            }
#endif
        });
    }

    /// <summary>Sets the last-write time on the open file, so the flush that follows covers it too.</summary>
    public void SetLastWriteTimeUtc(DateTime time)
    {
#if NET8_0_OR_GREATER
        if (IsLinux && TryNative(fd => NativeMethods.futimens(fd, Times(time))))
        {
            return;
        }

        File.SetLastWriteTimeUtc(_handle, time);
#else
        File.SetLastWriteTimeUtc(_path, time);
#endif
    }

    public void Dispose()
    {
#if NET8_0_OR_GREATER
        _stream?.Dispose();
        _handle.Dispose();
#else
        _stream.Dispose();
#endif
    }

    private bool TryDataSync() => TryNative(NativeMethods.fdatasync);

    /// <summary>A libc call on this file's descriptor; false when it failed or libc lacks it.</summary>
    private bool TryNative(Func<int, int> call)
    {
#if NET8_0_OR_GREATER
        SafeFileHandle handle = _handle;
#else
        Microsoft.Win32.SafeHandles.SafeFileHandle handle = _stream.SafeFileHandle;
#endif
        // Held for the call, so a handle closed meanwhile throws ObjectDisposedException instead of touching
        // whichever file reused its number.
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return call((int)handle.DangerousGetHandle()) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

#if NET8_0_OR_GREATER
    // futimens' two times: the access time left as it is, the last-write time set (a date before 1970 is refused,
    // and .NET's setter does it instead).
    private static NativeMethods.TimeSpec[] Times(DateTime utc)
    {
        long ticks = utc.Ticks - DateTime.UnixEpoch.Ticks;
        return new[]
        {
            new NativeMethods.TimeSpec { Nanoseconds = NativeMethods.UtimeOmit },
            new NativeMethods.TimeSpec { Seconds = ticks / TimeSpan.TicksPerSecond, Nanoseconds = ticks % TimeSpan.TicksPerSecond * 100 },
        };
    }

    // The rare operations the handle has no call for (truncate, length change, a flush where fdatasync is not to be
    // had) go through a stream made on first use; positioned writes never touch its position.
    private FileStream Stream() => _stream ??= new FileStream(_handle, FileAccess.ReadWrite, 0);
#else
    private FileStream Stream() => _stream;
#endif

    private static void Wrap(string path, Action action) => Wrap(path, () =>
    {
        action();
        return 0;
    });

    private static T Wrap<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot write '{path}': {e.Message}", e);
        }
    }
}
