namespace Downloader.Core.Storage;

/// <summary>Where a split download writes: the part file on disk, or a buffer in memory.</summary>
internal interface IContentSink
{
    void Write(long offset, byte[] buffer, int count);

    /// <summary>Makes written bytes durable; a no-op in memory.</summary>
    void FlushToDisk();
}
