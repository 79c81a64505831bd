using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Batch;
using Downloader.Core.Transfer;

namespace Downloader.Core.Sessions;

/// <summary>
/// Items pushed by a producer (a cmdlet's ProcessRecord, or the CLI reading a list) and pulled by the batch as it has
/// room. While the session is suspended the queue hands out nothing, so no new download starts.
/// </summary>
internal sealed class ItemQueue
{
    /// <summary>How many items a waiting producer may have queued ahead of the batch.</summary>
    public const int PendingLimit = 1024;

    /// <summary>
    /// How many taken items the reader gives room back for at once. A producer that keeps the queue full would
    /// otherwise be woken for every item the batch takes, only to add one line and wait again: a hand-off between
    /// threads (and a linked token source) per file. Given back in batches, it wakes once per batch and adds that
    /// many lines without waiting.
    /// </summary>
    private const int RoomBatch = PendingLimit / 4;
    private readonly ConcurrentQueue<(BatchItem Item, bool HoldsRoom)> _items = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly SemaphoreSlim _room = new(PendingLimit);
    private readonly CancellationTokenSource _closed = new();

    // While held, the reader waits here; the wait ends with the reader's token too, so a held session that is
    // disposed without a Stop still ends its run loop.
    private readonly PauseGate _hold = new();
    private int _completed;

    /// <summary>Adds without waiting: a PowerShell pipeline hands items over as they come.</summary>
    public void Add(BatchItem item)
    {
        _items.Enqueue((item, false));
        _available.Release();
    }

    /// <summary>
    /// Adds once fewer than <see cref="PendingLimit"/> waiting-added items are queued, so a list of 100,000 lines is
    /// read as the batch takes them rather than held whole. False once the queue is closed: nobody will read it.
    /// </summary>
    public async Task<bool> AddAsync(BatchItem item, CancellationToken cancellationToken)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }

        if (!_room.Wait(0))
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            try
            {
                await _room.WaitAsync(either.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        _items.Enqueue((item, true));
        _available.Release();
        return true;
    }

    /// <summary>The batch has ended: a producer waiting for room stops waiting.</summary>
    public void Close() => _closed.Cancel();

    public void Complete()
    {
        Interlocked.Exchange(ref _completed, 1);
        _available.Release();
    }

    public void Hold() => _hold.Pause();

    public void Release() => _hold.Resume();

    public async IAsyncEnumerable<BatchItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Room owed to the producer for taken items, not yet given back (see RoomBatch). A producer waits only when
        // PendingLimit items are queued or owed; fewer than RoomBatch are ever owed, so the queue then holds more
        // than this reader owes and it goes on taking until it gives the room back.
        int owed = 0;
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _hold.WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);

            if (_items.TryDequeue(out var entry))
            {
                if (entry.HoldsRoom && ++owed >= RoomBatch)
                {
                    _room.Release(owed);
                    owed = 0;
                }
                else if (owed > 0 && _items.IsEmpty)
                {
                    // Caught up with the producer: it may add again at once.
                    _room.Release(owed);
                    owed = 0;
                }

                yield return entry.Item;
            }
            else if (Volatile.Read(ref _completed) == 1)
            {
                yield break;
            }
        }
    }
}
