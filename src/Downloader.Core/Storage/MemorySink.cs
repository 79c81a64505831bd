using System;

namespace Downloader.Core.Storage;

/// <summary>
/// An in-memory download's buffer: sized from Content-Length when the server gave one (and then written at any offset
/// by many connections), grown as a single stream of unknown length arrives, and never past the in-memory limit.
/// </summary>
internal sealed class MemorySink : IContentSink
{
    private readonly long _limit;
    private readonly string _what;
    private readonly bool _sized;
    private byte[] _buffer;
    private long _written;

    /// <param name="length">The content length, or -1 when unknown.</param>
    /// <param name="limit">The largest content accepted; more fails the download instead of exhausting memory.</param>
    /// <param name="what">The download as errors name it (its URL, redacted).</param>
    public MemorySink(long length, long limit, string what)
    {
        _limit = limit;
        _what = what;
        if (length > limit)
        {
            throw TooLarge(length);
        }

        _sized = length >= 0;
        _buffer = new byte[Math.Max(0, length)];
    }

    /// <summary>The content: the buffer itself when its length was known, else a copy of what was written.</summary>
    public byte[] Content => _sized ? _buffer : _buffer.AsSpan(0, (int)_written).ToArray();

    public void Write(long offset, byte[] buffer, int count)
    {
        long end = offset + count;
        if (end > _buffer.Length)
        {
            if (end > _limit)
            {
                throw TooLarge(-1);
            }

            Array.Resize(ref _buffer, (int)Math.Min(_limit, Math.Max(end, 2L * _buffer.Length)));
        }

        System.Buffer.BlockCopy(buffer, 0, _buffer, (int)offset, count);
        if (!_sized)
        {
            // Only a single stream writes a buffer of unknown size: one writer, in order.
            _written = end;
        }
    }

    public void Reset() => _written = 0;

    public void FlushToDisk()
    {
    }

    private DownloadException TooLarge(long length) => new(
        DownloadErrorKind.TooLarge,
        length >= 0
            ? $"{_what}: {length} bytes is more than the in-memory limit of {_limit} bytes."
            : $"{_what}: the content is more than the in-memory limit of {_limit} bytes.");
}
