using System;
using System.Collections.Generic;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>A session at one instant: counts, bytes and each running download's progress.</summary>
public sealed record SessionSnapshot(
    SessionState State,
    int Total,
    int Completed,
    int Failed,
    long BytesReceived,
    long TotalBytes,
    double BytesPerSecond,
    IReadOnlyList<DownloadProgress> Active)
{
    public double PercentComplete => TotalBytes > 0 ? Math.Min(100, BytesReceived * 100.0 / TotalBytes) : -1;

    public TimeSpan? Eta => TotalBytes > 0 && BytesPerSecond > 0 ? TimeSpan.FromSeconds((TotalBytes - BytesReceived) / BytesPerSecond) : null;
}
