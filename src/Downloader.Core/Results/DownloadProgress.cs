using System;
using System.Collections.Generic;

namespace Downloader.Core.Results;

/// <summary>A point-in-time copy of a download's progress, safe to read on any thread.</summary>
public sealed class DownloadProgress
{
    public DownloadState State { get; init; }

    /// <summary>-1 while the size is unknown.</summary>
    public long TotalBytes { get; init; } = -1;

    public long BytesReceived { get; init; }

    public double BytesPerSecond { get; init; }

    public string? FileName { get; init; }

    public IReadOnlyList<ConnectionProgress> Connections { get; init; } = Array.Empty<ConnectionProgress>();

    /// <summary>0 to 100, or -1 while the size is unknown.</summary>
    public double PercentComplete =>
        TotalBytes > 0 ? Math.Min(100.0, BytesReceived * 100.0 / TotalBytes) : TotalBytes == 0 ? 100 : -1;

    public TimeSpan? Eta =>
        TotalBytes >= 0 && BytesPerSecond > 0
            ? TimeSpan.FromSeconds((TotalBytes - BytesReceived) / BytesPerSecond)
            : null;
}
