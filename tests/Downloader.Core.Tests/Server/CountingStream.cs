namespace Downloader.Core.Tests.Server;

/// <summary>Counts the body bytes the origin sends, to prove that nothing is fetched twice.</summary>
public sealed class CountingStream : WriteOnlyStream
{
    private readonly Action<long> _count;
    private long _written;

    public CountingStream(Stream inner, Action<long> count)
        : base(inner)
    {
        _count = count;
    }

    /// <summary>Bytes written through this stream.</summary>
    public long Count => Interlocked.Read(ref _written);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken);
        Interlocked.Add(ref _written, buffer.Length);
        _count(buffer.Length);
    }
}
