using System;
using System.Collections.Generic;
using System.IO;
using Downloader.Core.Storage;

namespace Downloader.Core.Queue;

/// <summary>
/// Applies the requests other processes left (<see cref="DownloadQueue.Ask"/>), for whoever holds the worker lock:
/// the worker, between its looks at its downloads, or the asking process itself when no worker runs. An entry being
/// downloaded is ended through its <see cref="ActiveEntry"/>, which stops the bytes at once; its file changes when
/// the download has ended (<see cref="QueueWorker"/>). A change of limits (Set-Download) is applied first, to the
/// entry's file and to a running entry's client at once, so the next suspend or resume keeps it.
/// </summary>
internal static class QueueRequests
{
    public static void Apply(DownloadQueue queue, IReadOnlyDictionary<int, ActiveEntry> active)
    {
        foreach (var changed in queue.TakeChanges())
        {
            if (active.TryGetValue(changed.Key, out ActiveEntry? running))
            {
                running.Change(changed.Value);
                queue.Save(running.Entry);
            }
            else if (queue.Get(changed.Key) is QueueEntry entry)
            {
                queue.Save(entry with { Options = changed.Value.ApplyTo(entry.Options) });
            }
        }

        foreach (var asked in queue.TakeRequests())
        {
            if (active.TryGetValue(asked.Key, out ActiveEntry? running))
            {
                // A resume has nothing to do on a running entry, but undoes a suspend still ending its download: the
                // entry then goes back to work, not to wait for a resume already given.
                if (asked.Value != QueueRequest.Resume || running.Ending == QueueRequest.Suspend)
                {
                    running.End(asked.Value);
                }

                continue;
            }

            if (queue.Get(asked.Key) is QueueEntry entry)
            {
                ApplyToIdle(queue, entry, asked.Value);
            }
        }
    }

    private static void ApplyToIdle(DownloadQueue queue, QueueEntry entry, QueueRequest request)
    {
        switch (request)
        {
            case QueueRequest.Suspend when !entry.IsFinished:
                queue.Save(entry with { State = QueueEntryState.Suspended, BytesPerSecond = 0 });
                break;
            case QueueRequest.Resume when entry.State is QueueEntryState.Suspended or QueueEntryState.Failed:
                queue.Save(entry with { State = QueueEntryState.Queued, LastError = null, Result = null });
                break;
            case QueueRequest.Remove:
                queue.Delete(entry.Id);
                break;
            case QueueRequest.RemoveAndDeletePartial:
                if (entry.State != QueueEntryState.Completed && entry.Path != null)
                {
                    DiscardUnlessHeld(entry.Path, entry.Url);
                }

                queue.Delete(entry.Id);
                break;
        }
    }

    /// <summary>
    /// The idle entry's partial files, unless another download holds its destination now (a Start-Download of the same
    /// URL resumes the same part file): those bytes are that download's, and deleting them under it would fail it.
    /// </summary>
    private static void DiscardUnlessHeld(string path, string url)
    {
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return;
        }

        try
        {
            using TargetLock? held = TargetLock.TryAcquire(path, new Uri(url), out _);
            if (held != null)
            {
                DownloadFiles.DiscardPartial(path);
            }
        }
        catch (Core.DownloadException)
        {
            // The lock cannot be taken at all (the folder is gone or read-only): nothing there to delete.
        }
    }
}
