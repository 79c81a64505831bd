namespace Downloader.Core;

public enum DownloadState
{
    Pending,
    Probing,
    Downloading,
    Paused,
    Verifying,
    Completed,
    Failed,
    Cancelled,
}
