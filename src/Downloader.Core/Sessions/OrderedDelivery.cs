using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;

namespace Downloader.Core.Sessions;

/// <summary>
/// Delivers a state machine's changes in the order they happened, one at a time, and never while a lock is held.
/// A move is queued under the machine's own lock; the thread that finds nobody delivering delivers the queue, and
/// a thread that moves while another delivers only queues and returns. So a slow handler (a PowerShell subscriber
/// of a job's StateChanged) holds up no Suspend or Stop from another thread, and a handler may wait for a thread
/// that moves the same machine without a deadlock.
/// </summary>
internal sealed class OrderedDelivery<T>
{
    private readonly object _gate;
    private readonly Queue<T> _pending = new();
    private bool _delivering;

    /// <param name="gate">The machine's lock, under which <see cref="Enqueue"/> is called.</param>
    public OrderedDelivery(object gate)
    {
        _gate = gate;
    }

    /// <summary>Queues a change; call under the machine's lock. True when the caller must <see cref="Drain"/>.</summary>
    public bool Enqueue(T change)
    {
        _pending.Enqueue(change);
        if (_delivering)
        {
            return false;
        }

        _delivering = true;
        return true;
    }

    /// <summary>
    /// Delivers every queued change, including those queued meanwhile (by other threads, or by a handler moving the
    /// machine again). Call outside the lock. A handler that throws costs no later change its delivery; the first
    /// exception is rethrown once the queue is empty.
    /// </summary>
    public void Drain(Action<T> deliver)
    {
        ExceptionDispatchInfo? first = null;
        while (true)
        {
            T next;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _delivering = false;
                    break;
                }

                next = _pending.Dequeue();
            }

            try
            {
                deliver(next);
            }
            catch (Exception e)
            {
                first ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        first?.Throw();
    }
}
