using System.Collections.Generic;
using System.Linq;

namespace Downloader.PowerShell.Jobs;

/// <summary>The download jobs of this process, for Get-, Suspend-, Resume- and Stop-Download, foreground ones included.</summary>
internal static class DownloadRegistry
{
    private static readonly object Gate = new();
    private static readonly List<DownloaderJob> Jobs = new();

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
    }

    public static IReadOnlyList<DownloaderJob> All()
    {
        lock (Gate)
        {
            return Jobs.ToList();
        }
    }
}
