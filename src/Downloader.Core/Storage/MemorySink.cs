namespace Downloader.Core.Storage;

/// <summary>An in-memory download's buffer, sized from Content-Length and written at any offset by many connections.</summary>
internal sealed class MemorySink : IContentSink
{
    public MemorySink(long length)
    {
        Buffer = new byte[length];
    }

    public byte[] Buffer { get; }

    public void Write(long offset, byte[] buffer, int count) => System.Buffer.BlockCopy(buffer, 0, Buffer, (int)offset, count);

    public void FlushToDisk()
    {
    }
}
