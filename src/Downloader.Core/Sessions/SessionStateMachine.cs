using System;

namespace Downloader.Core.Sessions;

/// <summary>
/// The legal moves of a session (and so of its PowerShell job). PowerShell's SetJobState records whatever it is
/// given, so the rules live here, where they are tested: a finished session never moves again, and suspend and
/// resume only apply while it runs.
/// </summary>
/// <remarks>
/// Changed is delivered in the order the states changed, one delivery at a time, and never under a lock
/// (<see cref="OrderedDelivery{T}"/>): a move is queued under the state lock, and delivered by the thread that moved
/// unless another thread is delivering already, which then delivers it after its own. So a move that races a slow
/// handler neither overtakes it (a job never receives Completed and then a stale Suspending) nor waits for it: a
/// Suspend or Stop from the pipeline thread returns while a PowerShell subscriber still runs elsewhere. TryMove
/// returns once its move is made; its delivery may still be pending on that other thread. A handler may move the
/// machine again; that move is delivered after the handler returns.
/// </remarks>
public sealed class SessionStateMachine
{
    private readonly OrderedDelivery<SessionState> _state = new(SessionState.NotStarted, IsLegal);

    public event Action<SessionState>? Changed;

    public SessionState State => _state.State;

    public static bool IsFinished(SessionState state) =>
        state is SessionState.Completed or SessionState.Failed or SessionState.Stopped;

    /// <summary>Moves to <paramref name="next"/> if that is legal from where the session is; returns whether it moved.</summary>
    public bool TryMove(SessionState next) => _state.TryMove(next, state => Changed?.Invoke(state));

    public static bool IsLegal(SessionState from, SessionState to) => from switch
    {
        SessionState.NotStarted => to is SessionState.Running or SessionState.Stopped,
        SessionState.Running => to is SessionState.Suspending or SessionState.Stopping or SessionState.Completed or SessionState.Failed,
        SessionState.Suspending => to is SessionState.Suspended or SessionState.Stopping or SessionState.Completed or SessionState.Failed,
        SessionState.Suspended => to is SessionState.Running or SessionState.Stopping,
        SessionState.Stopping => to is SessionState.Stopped,
        _ => false,
    };
}
