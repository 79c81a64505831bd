namespace Downloader.Core;

/// <summary>How a download ended, as reported in its result.</summary>
public enum DownloadStatus
{
    Completed,
    Skipped,
    Failed,
    Cancelled,
}
