using System.Collections.Generic;
using System.Linq;
using Downloader.Core.Sessions;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// The download jobs of this process, for Get-, Suspend-, Resume- and Stop-Download: every job until it is disposed,
/// which for -AsJob jobs is Remove-Job, and for foreground downloads is when newer ones push them out of the recent list.
/// </summary>
internal static class DownloadRegistry
{
    private const int RecentForegroundDownloads = 20;
    private static readonly object Gate = new();
    private static readonly List<DownloaderJob> Jobs = new();
    private static readonly RecentItems<DownloaderJob> Recent = new(RecentForegroundDownloads);

    public static void Add(DownloaderJob job)
    {
        lock (Gate)
        {
            Jobs.Add(job);
        }
    }

    public static void Remove(DownloaderJob job)
    {
        lock (Gate)
        {
            Jobs.Remove(job);
        }

        Recent.Remove(job);
    }

    /// <summary>Keeps a finished foreground download listed; the oldest one beyond the limit is disposed.</summary>
    public static void Retire(DownloaderJob job) => Recent.Add(job)?.Dispose();

    public static IReadOnlyList<DownloaderJob> All()
    {
        lock (Gate)
        {
            return Jobs.ToList();
        }
    }
}
