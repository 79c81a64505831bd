namespace Downloader.Core.Planning;

/// <summary>A copy of one segment's state, safe to hand to another thread.</summary>
public sealed record SegmentSnapshot(int Id, long Start, long Position, long End, bool IsOwned, double BytesPerSecond);
