using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;

namespace Downloader.Core.Sessions;

/// <summary>
/// A state machine's current state, its legal moves, and the delivery of its changes in the order they happened, one
/// at a time, never while a lock is held. A move is made and queued under the lock; the thread that finds nobody
/// delivering delivers the queue, and a thread that moves while another delivers only queues and returns. So a slow
/// handler (a PowerShell subscriber of a job's StateChanged) holds up no Suspend or Stop from another thread, and a
/// handler may wait for a thread that moves the same machine without a deadlock.
/// </summary>
internal sealed class OrderedDelivery<T>
{
    private readonly object _gate = new();
    private readonly Func<T, T, bool> _isLegal;
    private readonly Queue<T> _pending = new();
    private T _state;
    private bool _delivering;

    public OrderedDelivery(T initial, Func<T, T, bool> isLegal)
    {
        _state = initial;
        _isLegal = isLegal;
    }

    public T State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// Moves to <paramref name="next"/> if that is legal, and delivers the move (with any queued meanwhile) unless
    /// another thread is delivering, which then delivers it after its own; a handler moving the machine again has that
    /// move delivered once it returns. A handler that throws costs no later change its delivery; the first exception
    /// is rethrown once the queue is empty.
    /// </summary>
    public bool TryMove(T next, Action<T> deliver)
    {
        lock (_gate)
        {
            if (!_isLegal(_state, next))
            {
                return false;
            }

            _state = next;
            _pending.Enqueue(next);
            if (_delivering)
            {
                return true;
            }

            _delivering = true;
        }

        Drain(deliver);
        return true;
    }

    private void Drain(Action<T> deliver)
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
