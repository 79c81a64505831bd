using System;
using System.IO;
#if NET8_0_OR_GREATER
using Microsoft.Win32.SafeHandles;
#endif

namespace Downloader.Core.Storage;

/// <summary>
/// Reads a file that may still be downloading, at any offset, through one handle opened on first use: the part file
/// while there is one, else the finished file. The handle allows the rename to the final name and follows the file
/// through it, so a reader opened on the part file goes on reading the finished file. Thread-safe.
/// </summary>
internal sealed class PartFileReader : IDisposable
{
    private readonly string _path;
    private readonly object _gate = new();
#if NET8_0_OR_GREATER
    private SafeFileHandle? _handle;
#else
    private FileStream? _handle;
#endif
    private bool _disposed;

    /// <param name="path">The final name; the part file beside it is read while it exists.</param>
    public PartFileReader(string path)
    {
        _path = path;
    }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; fewer only at the end of the file.</summary>
    public int Read(long offset, byte[] buffer, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = ReadOnce(offset + total, buffer, total, count - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
    }

    private int ReadOnce(long offset, byte[] buffer, int start, int count)
    {
#if NET8_0_OR_GREATER
        return RandomAccess.Read(Handle(), new Span<byte>(buffer, start, count), offset);
#else
        lock (_gate)
        {
            FileStream stream = Handle();
            stream.Seek(offset, SeekOrigin.Begin);
            return stream.Read(buffer, start, count);
        }
#endif
    }

#if NET8_0_OR_GREATER
    private SafeFileHandle Handle()
#else
    private FileStream Handle()
#endif
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(PartFileReader));
            }

            return _handle ??= OpenEither();
        }
    }

#if NET8_0_OR_GREATER
    private SafeFileHandle OpenEither()
#else
    private FileStream OpenEither()
#endif
    {
        string part = _path + PartFile.Extension;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            string source = File.Exists(part) ? part : _path;
            try
            {
#if NET8_0_OR_GREATER
                return File.OpenHandle(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
#else
                return new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
#endif
            }
            catch (FileNotFoundException)
            {
                // Renamed from .part to its final name between the check and the open: look again.
            }
        }

        throw new IOException($"'{_path}' disappeared while being streamed.");
    }
}
