using System;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>The session's counts, with each running download's progress added to the bytes of the finished ones.</summary>
    internal static SessionSnapshot Of(SessionState state, int total, int completed, int failed, long finishedBytes, IEnumerable<FileDownload> running)
    {
        var active = running.Select(d => d.GetProgress()).ToList();
        return new SessionSnapshot(
            state,
            total,
            completed,
            failed,
            finishedBytes + active.Sum(p => p.BytesReceived),
            active.All(p => p.TotalBytes >= 0) ? finishedBytes + active.Sum(p => p.TotalBytes) : -1,
            active.Sum(p => p.BytesPerSecond),
            active);
    }

    public TimeSpan? Eta => TotalBytes > 0 && BytesPerSecond > 0 ? TimeSpan.FromSeconds((TotalBytes - BytesReceived) / BytesPerSecond) : null;
}
