using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Downloader.Core.Storage;

namespace Downloader.Core.Queue;

/// <summary>
/// The temporary files a killed writer left in the queue's folder. Every entry, request and change is written to
/// <c>NAME.PID.GUID.tmp</c> and renamed over NAME within milliseconds, so such a file outlives its write only when
/// its process died between the two (a worker killed with -9, a session closed mid-Set-Download). The worker, on
/// taking the queue, removes those whose process is gone, and any older than <see cref="Age"/> whatever their
/// process id says (a process id can be reused by an unrelated process).
/// </summary>
internal static class StaleTemps
{
    public static readonly TimeSpan Age = TimeSpan.FromMinutes(10);

    /// <summary>Removes the stale ones and returns how many.</summary>
    public static int Sweep(QueueFolder folder)
    {
        if (!Directory.Exists(folder.Entries))
        {
            return 0;
        }

        int removed = 0;
        foreach (string file in Directory.GetFiles(folder.Entries, "*.tmp"))
        {
            if (IsStale(file))
            {
                DownloadFiles.TryDelete(file);
                removed += File.Exists(file) ? 0 : 1;
            }
        }

        return removed;
    }

    private static bool IsStale(string file)
    {
        if (DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > Age)
        {
            return true;
        }

        // NAME.PID.GUID.tmp: the process id is the third part from the end.
        string[] parts = Path.GetFileName(file).Split('.');
        return parts.Length >= 4
            && int.TryParse(parts[parts.Length - 3], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && !IsRunning(pid);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
