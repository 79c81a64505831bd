using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Storage;

/// <summary>
/// Flushes finished part files to disk before they are renamed, when asked to (see <see cref="BeforeRenameAsync"/>), each file on its own and only our files: a flush of
/// the whole file system (syncfs) would also write out every other program's dirty pages, so our speed would depend
/// on their writes and theirs on ours. (A run's one syncfs comes after its last download, see
/// <see cref="FolderConfirmation"/>.)
/// </summary>
/// <remarks>
/// A flush blocks its thread until the disk answers, so it runs on a few dedicated threads rather than on the thread
/// pool that moves the downloads' bytes: the connections go on with the next files while earlier ones flush, and the
/// flushes that wait together share the file system's journal commits. The threads exist only while there is work
/// and end after a short idle spell, so a session that is forgotten rather than disposed leaves none behind.
/// </remarks>
internal sealed class FileFlusher
{
    private const int MaxWorkers = 8;
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly bool _durable;
    private int _workers;
    private int _idle;

    /// <param name="durable">Flush every finished file before its rename (<see cref="DownloadOptions.Durable"/>).</param>
    public FileFlusher(bool durable)
    {
        _durable = durable;
    }

    /// <summary>The folders files were renamed into unflushed, and what a later boot may not trust there.</summary>
    public UnflushedFolders Unflushed { get; } = new();

    /// <summary>
    /// Readies a finished part file for its rename to <paramref name="finalPath"/>: flushed first when the options ask
    /// for it or where the folder cannot hold a note; otherwise the folder's note is made sure of (once per folder and
    /// boot) and no flush is waited for, so the file's cost does not depend on how busy the disk is.
    /// </summary>
    public Task BeforeRenameAsync(PartFile part, string finalPath) =>
        !_durable && Unflushed.Note(finalPath) ? Task.CompletedTask : FlushAsync(part);

    public Task FlushAsync(PartFile part)
    {
        var pending = new Pending(part);
        bool start = false;
        lock (_gate)
        {
            _queue.Enqueue(pending);
            if (_idle > 0)
            {
                Monitor.Pulse(_gate);
            }
            else if (_workers < MaxWorkers)
            {
                _workers++;
                start = true;
            }
        }

        if (start)
        {
            new Thread(Work) { IsBackground = true, Name = "Downloader flush" }.Start();
        }

        return pending.Done.Task;
    }

    // A waiting worker sleeps in Monitor.Wait, which blocks at once; a semaphore would spin (sched_yield) first,
    // once per file, which a list of small files pays for in CPU.
    private void Work()
    {
        while (true)
        {
            Pending pending;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    _idle++;
                    bool woken = Monitor.Wait(_gate, IdleExit);
                    _idle--;
                    if (!woken && _queue.Count == 0)
                    {
                        _workers--;
                        return;
                    }
                }

                pending = _queue.Dequeue();
            }

            try
            {
                pending.Part.FlushToDisk();
                pending.Done.TrySetResult(true);
            }
            catch (Exception e)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private sealed class Pending
    {
        public Pending(PartFile part)
        {
            Part = part;
        }

        public PartFile Part { get; }

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
