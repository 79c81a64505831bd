using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// A read-only view that counts the bytes read through it: a decoded body's length says nothing of the bytes that came,
/// and a body cut short must still be caught against the length the server announced.
/// </summary>
internal sealed class CountingStream : Stream
{
    private readonly Stream _inner;
    private long _count;

    public CountingStream(Stream inner)
    {
        _inner = inner;
    }

    /// <summary>The bytes read so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Count;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Counted(_inner.Read(buffer, offset, count));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Counted(await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

#if NET8_0_OR_GREATER
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));
#endif

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Counted(int read)
    {
        Interlocked.Add(ref _count, read);
        return read;
    }
}
