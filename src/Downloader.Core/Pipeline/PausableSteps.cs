using System;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Transfer;

namespace Downloader.Core.Pipeline;

/// <summary>
/// Runs a download's network steps across pauses: each step holds the download's connection from the budget while
/// it runs (a transfer takes it over, see <see cref="TakeLease"/>), gives it back when paused, and runs again from the saved state after a resume. It moves the download's
/// state (Probing, Downloading, Paused) as it goes; only the download's own run calls it.
/// </summary>
internal sealed class PausableSteps
{
    private readonly PauseGate _pause = new();
    private readonly DownloadStateMachine _state;
    private readonly ConnectionBudget? _budget;
    private readonly string _host;
    private readonly CancellationToken _stopping;
    private IDisposable? _lease;

    public PausableSteps(DownloadStateMachine state, ConnectionBudget? budget, string host, CancellationToken stopping)
    {
        _state = state;
        _budget = budget;
        _host = host;
        _stopping = stopping;
    }

    /// <summary>Stops the running step within moments; the next step waits for <see cref="Resume"/>.</summary>
    public void Pause() => _pause.Pause();

    public void Resume() => _pause.Resume();

    public async Task<T> RunAsync<T>(DownloadState busy, Func<CancellationToken, Task<T>> step)
    {
        while (true)
        {
            await _pause.WaitWhilePausedAsync(_stopping).ConfigureAwait(false);
            if (_budget != null && Volatile.Read(ref _lease) == null)
            {
                Volatile.Write(ref _lease, await _budget.AcquireAsync(_host, _stopping).ConfigureAwait(false));
            }

            _state.Move(busy);
            using CancellationTokenSource session = _pause.BeginSession(_stopping);
            try
            {
                return await step(session.Token).ConfigureAwait(false);
            }
            catch (Exception) when (session.IsCancellationRequested && !_stopping.IsCancellationRequested)
            {
                // A paused download gives its connection back to the budget.
                ReleaseConnection();
                _state.Move(DownloadState.Paused);
            }
        }
    }

    /// <summary>Hands the lease to a transfer, whose first connection owns it from then on (a resume leases anew).</summary>
    public IDisposable? TakeLease() => Interlocked.Exchange(ref _lease, null);

    /// <summary>The network part is over: flushing, hashing and renaming need no connection from the budget.</summary>
    public void ReleaseConnection() => Interlocked.Exchange(ref _lease, null)?.Dispose();
}
