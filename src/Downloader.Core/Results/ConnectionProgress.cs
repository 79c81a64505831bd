namespace Downloader.Core.Results;

/// <summary>One active connection: the range it works on and how fast it goes.</summary>
public sealed record ConnectionProgress(int Id, long Start, long Position, long End, double BytesPerSecond);
