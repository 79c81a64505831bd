namespace Downloader.Core.Storage;

/// <summary>
/// Where a transfer writes: the part file on disk, or a buffer in memory. Ranged transfers write at any offset from
/// many connections at once; a single stream writes in order and starts over with <see cref="Reset"/>.
/// </summary>
internal interface IContentSink
{
    void Write(long offset, byte[] buffer, int count);

    /// <summary>Forgets everything written: a single stream that broke starts again from byte 0.</summary>
    void Reset();

    /// <summary>Makes written bytes durable; a no-op in memory.</summary>
    void FlushToDisk();
}
