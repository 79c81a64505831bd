namespace Downloader.Core.Sessions;

/// <summary>A session's state, named like PowerShell's JobState so the job maps it one to one.</summary>
public enum SessionState
{
    NotStarted,
    Running,
    Suspending,
    Suspended,
    Stopping,
    Stopped,
    Completed,
    Failed,
}
