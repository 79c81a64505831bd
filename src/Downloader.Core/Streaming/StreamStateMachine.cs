using System;

namespace Downloader.Core.Streaming;

/// <summary>
/// The legal moves of a stream session, and their delivery in order. A move is made and queued under one lock and
/// delivered outside it (<see cref="Sessions.OrderedDelivery{T}"/>), so observers (the stream job, the CLI) see the
/// states in the order they changed, a slow observer holds up no Stop or Suspend from another thread, and a final
/// state never moves again: a download that fails after the user stopped the stream cannot turn a Stopped session
/// into a Failed one.
/// </summary>
internal sealed class StreamStateMachine
{
    private readonly Sessions.OrderedDelivery<StreamState> _state = new(StreamState.NotStarted, IsLegal);

    public event EventHandler<StreamState>? Changed;

    public StreamState State => _state.State;

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
    public bool TryMove(StreamState to) => _state.TryMove(to, state => Changed?.Invoke(this, state));
}
