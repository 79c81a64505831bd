using System;
using System.Collections.Generic;

namespace Downloader.Core.Queue;

/// <summary>
/// Suspend, resume, remove and changes of limits as any process asks for them: a request file for the worker, applied at once by the
/// asker itself when no worker runs (it then holds the worker lock for that moment). The front ends start a worker
/// after a resume.
/// </summary>
public static class QueueControl
{
    /// <summary>The entry asked about; null with <paramref name="error"/> when there is no such entry.</summary>
    public static QueueEntry? Ask(DownloadQueue queue, int id, QueueRequest request, out string? error)
    {
        QueueEntry? entry = Find(queue, id, out error);
        if (entry != null)
        {
            queue.Ask(id, request);
            ApplyIfNoWorker(queue);
        }

        return entry;
    }

    /// <summary>
    /// Asks for a change of an entry's limits (Set-Download); the entry as it will be, or null with
    /// <paramref name="error"/> when there is no such entry. A worker running the entry applies it to the download
    /// within <see cref="QueueWorker.PollInterval"/>.
    /// </summary>
    public static QueueEntry? Change(DownloadQueue queue, int id, LimitChange change, out string? error)
    {
        QueueEntry? entry = Find(queue, id, out error);
        if (entry == null)
        {
            return null;
        }

        queue.AskChange(id, change);
        ApplyIfNoWorker(queue);
        return entry with { Options = change.ApplyTo(entry.Options) };
    }

    /// <summary>Applies waiting requests when no worker runs to do it.</summary>
    public static void ApplyIfNoWorker(DownloadQueue queue)
    {
        using IDisposable? held = queue.TryLockToApply();
        if (held != null)
        {
            QueueRequests.Apply(queue, new Dictionary<int, ActiveEntry>());
        }
    }

    private static QueueEntry? Find(DownloadQueue queue, int id, out string? error)
    {
        QueueEntry? entry = queue.Get(id);
        error = entry == null ? $"No queue entry has the id {id} (queue: {queue.Folder.Root})." : null;
        return entry;
    }
}
