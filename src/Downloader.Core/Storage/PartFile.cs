using System;
using System.IO;

namespace Downloader.Core.Storage;

/// <summary>
/// The <c>.part</c> file: written at any offset by many connections at once, flushed to disk before the state file
/// may record its bytes, and renamed to the final name only when complete.
/// </summary>
internal sealed class PartFile : IContentSink, IDisposable
{
    public const string Extension = ".part";

    private readonly FileStream _stream;
    private readonly string _path;
#if !NET8_0_OR_GREATER
    private readonly object _gate = new();
#endif

    private PartFile(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    public string Path => _path;

    /// <summary>
    /// Creates (or truncates) the part file. With <paramref name="preallocate"/> its full length is reserved up front,
    /// which pays off when many connections write far apart; a file written in one piece needs none of it.
    /// </summary>
    public static PartFile Create(string path, long length, bool preallocate)
    {
        FileStream stream = Wrap(path, () =>
        {
#if NET8_0_OR_GREATER
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.ReadWrite,
                Share = FileShare.Read,
                BufferSize = 0,
                PreallocationSize = preallocate ? Math.Max(0, length) : 0,
            });
#else
            return new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1);
#endif
        });
        if (preallocate && length > 0)
        {
            Wrap(path, () => stream.SetLength(length));
        }

        return new PartFile(stream, path);
    }

    public static PartFile Open(string path)
    {
        FileStream stream = Wrap(path, () => new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1));
        return new PartFile(stream, path);
    }

    public void Write(long offset, byte[] buffer, int count)
    {
        Wrap(_path, () =>
        {
#if NET8_0_OR_GREATER
            System.IO.RandomAccess.Write(_stream.SafeFileHandle, new ReadOnlySpan<byte>(buffer, 0, count), offset);
#else
            lock (_gate)
            {
                _stream.Seek(offset, SeekOrigin.Begin);
                _stream.Write(buffer, 0, count);
            }
#endif
        });
    }

    /// <summary>Empties the file: a single stream that broke starts again from byte 0.</summary>
    public void Reset() => Wrap(_path, () => _stream.SetLength(0));

    /// <summary>Forces written bytes to the disk, so that a state file written afterwards never overstates them.</summary>
    public void FlushToDisk()
    {
        Wrap(_path, () =>
        {
#if NET8_0_OR_GREATER
            _stream.Flush(flushToDisk: true);
#else
            lock (_gate)
            {
                _stream.Flush(flushToDisk: true);
            }
#endif
        });
    }

    /// <summary>
    /// Linux only: flushes the whole file system this file lives on (syncfs), so one call makes every file written
    /// there durable, this one and every other part file: part files are opened unbuffered, so all their written bytes
    /// are already the operating system's. Returns false when the call failed; the caller then flushes file by file.
    /// </summary>
    public bool SyncFileSystem()
    {
        _stream.Flush(flushToDisk: false);
        int fd = (int)_stream.SafeFileHandle.DangerousGetHandle();
        return NativeMethods.syncfs(fd) == 0;
    }

    public void Dispose() => _stream.Dispose();

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
