using System;

namespace Downloader.Core.Sessions;

/// <summary>
/// The legal moves of a session (and so of its PowerShell job). PowerShell's SetJobState records whatever it is
/// given, so the rules live here, where they are tested: a finished session never moves again, and suspend and
/// resume only apply while it runs.
/// </summary>
/// <remarks>
/// Changed is delivered in the order the states changed, one delivery at a time, and TryMove returns after its own
/// delivery. Moves take a delivery lock around the change and the event, so a move that races a slow handler waits
/// for it instead of overtaking it: otherwise a job could receive Completed and then a stale Suspending. Reading
/// <see cref="State"/> takes only the state lock, so a handler never blocks a reader. A handler may move the
/// machine again on its own thread (the lock is re-entrant); that move is delivered before the handler returns.
/// </remarks>
public sealed class SessionStateMachine
{
    private readonly object _gate = new();
    private readonly object _delivery = new();
    private SessionState _state = SessionState.NotStarted;

    public event Action<SessionState>? Changed;

    public SessionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public static bool IsFinished(SessionState state) =>
        state is SessionState.Completed or SessionState.Failed or SessionState.Stopped;

    /// <summary>Moves to <paramref name="next"/> if that is legal from where the session is; returns whether it moved.</summary>
    public bool TryMove(SessionState next)
    {
        lock (_delivery)
        {
            lock (_gate)
            {
                if (!IsLegal(_state, next))
                {
                    return false;
                }

                _state = next;
            }

            Changed?.Invoke(next);
            return true;
        }
    }

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
