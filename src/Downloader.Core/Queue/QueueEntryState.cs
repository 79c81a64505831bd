namespace Downloader.Core.Queue;

/// <summary>
/// Where a queue entry stands. Queued and Running entries are the worker's work (Running when a worker was killed
/// while on it: the next one carries on from its state files); Suspended ones wait for a resume; Completed and
/// Failed ones keep their result until removed.
/// </summary>
public enum QueueEntryState
{
    Queued,
    Running,
    Suspended,
    Completed,
    Failed,
}
