using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Batch;

namespace Downloader.Core.Sessions;

/// <summary>
/// Items pushed by a producer (a cmdlet's ProcessRecord) and pulled by the batch as it has room. While the session is
/// suspended the queue hands out nothing, so no new download starts.
/// </summary>
internal sealed class ItemQueue
{
    private readonly ConcurrentQueue<BatchItem> _items = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly object _gate = new();
    private TaskCompletionSource<bool>? _resumed;
    private int _completed;

    public void Add(BatchItem item)
    {
        _items.Enqueue(item);
        _available.Release();
    }

    public void Complete()
    {
        Interlocked.Exchange(ref _completed, 1);
        _available.Release();
    }

    public void Hold()
    {
        lock (_gate)
        {
            _resumed ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        TaskCompletionSource<bool>? resumed;
        lock (_gate)
        {
            resumed = _resumed;
            _resumed = null;
        }

        resumed?.TrySetResult(true);
    }

    public async IAsyncEnumerable<BatchItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            Task? held;
            lock (_gate)
            {
                held = _resumed?.Task;
            }

            if (held != null)
            {
                await held.ConfigureAwait(false);
            }

            if (_items.TryDequeue(out BatchItem? item))
            {
                yield return item;
            }
            else if (Volatile.Read(ref _completed) == 1)
            {
                yield break;
            }
        }
    }
}
