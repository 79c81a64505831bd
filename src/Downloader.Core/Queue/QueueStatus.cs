namespace Downloader.Core.Queue;

/// <summary>
/// An entry as a user sees it: Running only while a worker runs (an entry a killed worker left Running shows as
/// Queued, which is what it is until the next worker picks it up), with that worker's process id.
/// </summary>
public static class QueueStatus
{
    public static QueueEntryState StateOf(QueueEntry entry, int liveWorkerPid) =>
        entry.State == QueueEntryState.Running && liveWorkerPid == 0 ? QueueEntryState.Queued : entry.State;

    public static int WorkerOf(QueueEntry entry, int liveWorkerPid) =>
        StateOf(entry, liveWorkerPid) == QueueEntryState.Running ? liveWorkerPid : 0;
}
