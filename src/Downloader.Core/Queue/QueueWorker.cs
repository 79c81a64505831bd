using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Results;

namespace Downloader.Core.Queue;

/// <summary>
/// Works the queue until it is empty: the one process holding the worker lock (a second worker exits at once, 0).
/// It starts Queued entries (and Running ones a killed worker left, which resume from their state files), writes each
/// entry's bytes every <see cref="ProgressInterval"/>, applies other processes' requests every
/// <see cref="PollInterval"/> (so a suspend stops the bytes well within 2 s), and records each end in the entry and
/// the log. A cancel of <see cref="Run"/> (Ctrl+C, the service manager's stop) ends every download, keeping its
/// partial files, and leaves its entry Queued for the next worker.
/// </summary>
public sealed class QueueWorker
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>How long an entry whose destination another process is downloading waits before it is tried again.</summary>
    public static readonly TimeSpan HeldElsewhereRetry = TimeSpan.FromSeconds(5);
    private const int MaxActive = 3;

    private readonly DownloadQueue _queue;
    private readonly Dictionary<int, ActiveEntry> _active = new();
    private readonly Dictionary<int, DateTime> _waitingUntil = new();
    private readonly int _pid = System.Diagnostics.Process.GetCurrentProcess().Id;

    public QueueWorker(DownloadQueue queue)
    {
        _queue = queue;
    }

    /// <summary>Runs until the queue has no work; 0 also when another worker has the queue.</summary>
    public int Run(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            using (IDisposable? held = _queue.TryLockWorker())
            {
                if (held == null)
                {
                    return 0;
                }

                StaleTemps.Sweep(_queue.Folder);
                WorkUntilEmpty(cancellationToken);
            }

            // Work added (or a resume asked) between the last look and the release would wait for the next worker:
            // look once more now that the lock is free, and take it again if there is some.
            if (!HasWork())
            {
                return 0;
            }
        }

        return 0;
    }

    private void WorkUntilEmpty(CancellationToken cancellationToken)
    {
        DateTime nextProgress = DateTime.UtcNow;
        while (true)
        {
            QueueRequests.Apply(_queue, _active);
            if (cancellationToken.IsCancellationRequested)
            {
                EndAll(QueueRequest.Resume);
            }
            else
            {
                StartRunnable();
            }

            if (_active.Count == 0 && (cancellationToken.IsCancellationRequested || !HasWork()))
            {
                return;
            }

            if (DateTime.UtcNow >= nextProgress)
            {
                SaveProgress();
                nextProgress = DateTime.UtcNow + ProgressInterval;
            }

            WaitForAnEnd(cancellationToken);
            foreach (ActiveEntry ended in _active.Values.Where(a => a.Completion.IsCompleted).ToList())
            {
                Finish(ended);
            }
        }
    }

    private bool HasWork() => _queue.HasRequests() || _queue.List().Any(e => e.State is QueueEntryState.Queued or QueueEntryState.Running);

    private void StartRunnable()
    {
        DateTime now = DateTime.UtcNow;
        foreach (QueueEntry entry in _queue.List().Where(e => e.State is QueueEntryState.Queued or QueueEntryState.Running && !_active.ContainsKey(e.Id)))
        {
            if (_waitingUntil.TryGetValue(entry.Id, out DateTime until) && now < until)
            {
                continue;
            }

            if (_active.Count >= MaxActive)
            {
                return;
            }

            QueueEntry running = entry with { State = QueueEntryState.Running, WorkerPid = _pid, LastError = null };
            try
            {
                _active[entry.Id] = new ActiveEntry(running);
                _queue.Save(running);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or DownloadException)
            {
                // An entry the engine cannot even start (an edited file, a bad hash): it fails, the others run.
                _queue.Save(entry with { State = QueueEntryState.Failed, LastError = e.Message });
            }
        }
    }

    private void SaveProgress()
    {
        foreach (ActiveEntry a in _active.Values.Where(a => !a.Completion.IsCompleted && a.Ending == null))
        {
            a.Entry = a.WithProgress();
            _queue.Save(a.Entry);
        }
    }

    private void WaitForAnEnd(CancellationToken cancellationToken)
    {
        var waits = _active.Values.Select(a => (Task)a.Completion).ToList();
        waits.Add(Task.Delay(PollInterval, cancellationToken));
        try
        {
            Task.WaitAny(waits.ToArray());
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void EndAll(QueueRequest why)
    {
        foreach (ActiveEntry a in _active.Values.Where(a => a.Ending == null))
        {
            a.End(why);
        }
    }

    private void Finish(ActiveEntry ended)
    {
        _active.Remove(ended.Entry.Id);
        using (ended)
        {
            DownloadResult result = ended.Result();
            QueueEntry entry = ended.WithProgress() with { BytesPerSecond = 0 };
            switch (ended.EndingFor(result))
            {
                case QueueRequest.Remove or QueueRequest.RemoveAndDeletePartial:
                    _queue.Delete(entry.Id);
                    return;
                case QueueRequest.Suspend:
                    _queue.Save(entry with { State = QueueEntryState.Suspended });
                    return;
                case QueueRequest.Resume:
                    _queue.Save(entry with { State = QueueEntryState.Queued });
                    return;
            }

            if (result.Status == DownloadStatus.Skipped && result.Reason?.StartsWith(Pipeline.ResultBuilder.InProgressReason, StringComparison.Ordinal) == true)
            {
                // Another process is downloading the same destination: not done here, and not failed. The entry waits
                // for its turn, so it ends only once the file is there (or that download failed and this one ran).
                _waitingUntil[entry.Id] = DateTime.UtcNow + HeldElsewhereRetry;
                _queue.Save(entry with { State = QueueEntryState.Queued, LastError = $"waiting: '{result.Path}' is {result.Reason}" });
                return;
            }

            _waitingUntil.Remove(entry.Id);
            DownloadResult kept = ResultFields.Redacted(result);
            bool failed = result.Status is DownloadStatus.Failed or DownloadStatus.Cancelled;
            _queue.Save(entry with
            {
                State = failed ? QueueEntryState.Failed : QueueEntryState.Completed,
                Path = result.Path ?? entry.Path,
                LastError = kept.Error,
                Result = kept,
                BytesReceived = failed ? entry.BytesReceived : result.Bytes,
                TotalBytes = failed ? entry.TotalBytes : result.Bytes,
            });
            QueueLog.Append(_queue.Folder, entry, kept);
        }
    }
}
