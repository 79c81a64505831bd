using System;

namespace Downloader.Core.Streaming;

/// <summary>
/// The legal moves of a stream session, and their delivery in order. A move and its event happen under one lock, so
/// observers (the stream job, the CLI) see the states in the order they changed, and a final state never moves
/// again: a download that fails after the user stopped the stream cannot turn a Stopped session into a Failed one.
/// </summary>
internal sealed class StreamStateMachine
{
    private readonly object _gate = new();
    private StreamState _state;

    public event EventHandler<StreamState>? Changed;

    public StreamState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public static bool IsFinal(StreamState state) => state is StreamState.Completed or StreamState.Stopped or StreamState.Failed;

    /// <summary>The table of legal moves.</summary>
    public static bool IsLegal(StreamState from, StreamState to) => from switch
    {
        StreamState.NotStarted => to is StreamState.Starting or StreamState.Stopped,
        StreamState.Starting => to is StreamState.Serving or StreamState.Stopped or StreamState.Failed,
        StreamState.Serving => to is StreamState.Suspended or StreamState.Finishing or StreamState.Stopped or StreamState.Failed,
        StreamState.Suspended => to is StreamState.Serving or StreamState.Finishing or StreamState.Stopped or StreamState.Failed,
        StreamState.Finishing => to is StreamState.Completed or StreamState.Stopped or StreamState.Failed,
        _ => false,
    };

    /// <summary>Moves when the move is legal from the current state; false (and nothing happens) otherwise.</summary>
    public bool TryMove(StreamState to)
    {
        lock (_gate)
        {
            if (!IsLegal(_state, to))
            {
                return false;
            }

            _state = to;

            // Raised inside the lock: delivery order is the order of the moves. Handlers must not block on another
            // thread that moves this machine; moving it again from the handler's own thread is fine (the lock is
            // re-entrant, and the nested move is delivered after this one).
            Changed?.Invoke(this, to);
            return true;
        }
    }
}
