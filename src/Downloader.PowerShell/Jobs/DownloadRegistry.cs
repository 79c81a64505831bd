using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using Downloader.Core.Sessions;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// The download jobs of this process, for Get-, Suspend-, Resume- and Stop-Download: every job until it is disposed,
/// which for -AsJob jobs is Remove-Job, and for foreground downloads is when newer ones push them out of the recent list.
/// Each runspace sees only its own jobs (and keeps its own recent list), as with PowerShell's own jobs.
/// </summary>
internal static class DownloadRegistry
{
    private const int RecentForegroundDownloads = 20;
    private static readonly object Gate = new();
    private static readonly List<DownloaderJob> Jobs = new();
    private static readonly Dictionary<Guid, RecentItems<DownloaderJob>> Recent = new();

    public static void Add(DownloaderJob job)
    {
        lock (Gate)
        {
            Jobs.Add(job);
        }
    }

    public static void Remove(DownloaderJob job)
    {
        RecentItems<DownloaderJob>? recent;
        lock (Gate)
        {
            Jobs.Remove(job);
            Recent.TryGetValue(job.Owner, out recent);
        }

        recent?.Remove(job);
    }

    /// <summary>Keeps a finished foreground download listed; the oldest one beyond the limit is disposed.</summary>
    public static void Retire(DownloaderJob job)
    {
        RecentItems<DownloaderJob>? recent;
        lock (Gate)
        {
            if (!Recent.TryGetValue(job.Owner, out recent))
            {
                recent = new RecentItems<DownloaderJob>(RecentForegroundDownloads);
                Recent[job.Owner] = recent;
            }
        }

        recent.Add(job)?.Dispose();
    }

    /// <summary>The jobs of the runspace running the calling command.</summary>
    public static IReadOnlyList<DownloaderJob> All()
    {
        Guid current = Runspace.DefaultRunspace?.InstanceId ?? Guid.Empty;
        lock (Gate)
        {
            return Jobs.Where(j => j.Owner == current).ToList();
        }
    }
}
