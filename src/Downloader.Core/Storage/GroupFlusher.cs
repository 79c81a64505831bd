using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace Downloader.Core.Storage;

/// <summary>
/// Makes finished part files durable before they are renamed, in groups: on Linux, files that finish close together
/// share one <c>syncfs</c> per file system (one journal commit) instead of one <c>fsync</c> each, which is what
/// a batch of small files would otherwise spend most of its time on. Elsewhere, and if syncfs fails, each file is
/// flushed on its own. Either way a file is never renamed before its bytes are on disk.
/// </summary>
internal sealed class GroupFlusher
{
    private readonly object _gate = new();
    private volatile bool _useSyncfs = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
    private List<Pending> _pending = new();
    private bool _running;

    public Task FlushAsync(PartFile part)
    {
        if (!_useSyncfs)
        {
            part.FlushToDisk();
            return Task.CompletedTask;
        }

        var pending = new Pending(part);
        bool start;
        lock (_gate)
        {
            _pending.Add(pending);
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = Task.Run(DrainAsync);
        }

        return pending.Done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            // A moment's wait lets files finishing together share the flush.
            await Task.Delay(2).ConfigureAwait(false);
            List<Pending> batch;
            lock (_gate)
            {
                batch = _pending;
                _pending = new List<Pending>();
                if (batch.Count == 0)
                {
                    _running = false;
                    return;
                }
            }

            foreach (var sameFolder in batch.GroupBy(p => System.IO.Path.GetDirectoryName(p.Part.Path)))
            {
                Flush(sameFolder.ToList());
            }
        }
    }

    private void Flush(List<Pending> group)
    {
        try
        {
            if (_useSyncfs && group[0].Part.SyncFileSystem())
            {
                group.ForEach(p => p.Done.TrySetResult(true));
                return;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A libc without syncfs: flush file by file from now on.
            _useSyncfs = false;
        }
        catch (Exception)
        {
            // Fall back to one flush per file below.
        }

        foreach (Pending p in group)
        {
            try
            {
                p.Part.FlushToDisk();
                p.Done.TrySetResult(true);
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
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
