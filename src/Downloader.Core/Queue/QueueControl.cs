using System;
using System.Collections.Generic;

namespace Downloader.Core.Queue;

/// <summary>
/// Suspend, resume and remove as any process asks for them: a request file for the worker, applied at once by the
/// asker itself when no worker runs (it then holds the worker lock for that moment). The front ends start a worker
/// after a resume.
/// </summary>
public static class QueueControl
{
    /// <summary>The entry asked about; null with <paramref name="error"/> when there is no such entry.</summary>
    public static QueueEntry? Ask(DownloadQueue queue, int id, QueueRequest request, out string? error)
    {
        QueueEntry? entry = queue.Get(id);
        error = entry == null ? $"No queue entry has the id {id} (queue: {queue.Folder.Root})." : null;
        if (entry != null)
        {
            queue.Ask(id, request);
            ApplyIfNoWorker(queue);
        }

        return entry;
    }

    /// <summary>Applies waiting requests when no worker runs to do it.</summary>
    public static void ApplyIfNoWorker(DownloadQueue queue)
    {
        using IDisposable? held = queue.TryLockWorker();
        if (held != null)
        {
            QueueRequests.Apply(queue, new Dictionary<int, ActiveEntry>());
        }
    }
}
