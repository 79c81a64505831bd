using System;
using System.Threading;

namespace Downloader.Core.Pipeline;

/// <summary>
/// The states of one download and the only moves between them. The orchestrator is the single writer (it moves the
/// state from its own run, one step after another); readers on other threads see the latest state through a volatile
/// read. A finished download (Completed, Failed, Cancelled) never moves again.
/// </summary>
internal sealed class DownloadStateMachine
{
    private int _state = (int)DownloadState.Pending;

    public DownloadState State => (DownloadState)Volatile.Read(ref _state);

    public static bool IsFinished(DownloadState state) => state is DownloadState.Completed or DownloadState.Failed or DownloadState.Cancelled;

    /// <summary>The table of legal moves. Staying in a state is not a move.</summary>
    public static bool IsLegal(DownloadState from, DownloadState to) => from switch
    {
        DownloadState.Pending => to is DownloadState.Probing or DownloadState.Paused or DownloadState.Failed or DownloadState.Cancelled,

        // A probe answered 304 completes at once (skipped); a restart probes again after a transfer.
        DownloadState.Probing => to is DownloadState.Downloading or DownloadState.Paused or DownloadState.Completed
            or DownloadState.Failed or DownloadState.Cancelled,
        DownloadState.Downloading => to is DownloadState.Paused or DownloadState.Probing or DownloadState.Verifying
            or DownloadState.Failed or DownloadState.Cancelled,
        DownloadState.Paused => to is DownloadState.Probing or DownloadState.Downloading or DownloadState.Failed or DownloadState.Cancelled,
        DownloadState.Verifying => to is DownloadState.Completed or DownloadState.Failed or DownloadState.Cancelled,
        _ => false,
    };

    /// <summary>Moves to <paramref name="to"/>; an illegal move is a bug in the orchestrator and throws.</summary>
    public void Move(DownloadState to)
    {
        DownloadState from = State;
        if (from == to)
        {
            return;
        }

        if (!IsLegal(from, to))
        {
            throw new InvalidOperationException($"A download cannot move from {from} to {to}.");
        }

        Volatile.Write(ref _state, (int)to);
    }

    /// <summary>Ends the download in <paramref name="to"/> unless it already ended: the last word of a failure path.</summary>
    public void Finish(DownloadState to)
    {
        if (!IsFinished(State))
        {
            Move(to);
        }
    }
}
