using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// Pause modelled on cancellation: pausing cancels the current session's token, so in-flight requests stop at once,
/// and work waits at the gate until resumed. Continuations run asynchronously so that a Resume call from a
/// PowerShell pipeline thread never runs download code inline.
/// </summary>
internal sealed class PauseGate
{
    private readonly object _gate = new();
    private CancellationTokenSource? _session;
    private TaskCompletionSource<bool>? _resumed;

    /// <summary>Starts a session whose token is cancelled by <see cref="Pause"/> or by <paramref name="outer"/>.</summary>
    public CancellationTokenSource BeginSession(CancellationToken outer)
    {
        lock (_gate)
        {
            _session = CancellationTokenSource.CreateLinkedTokenSource(outer);
            if (_resumed != null)
            {
                _session.Cancel();
            }

            return _session;
        }
    }

    public void Pause()
    {
        CancellationTokenSource? session;
        lock (_gate)
        {
            _resumed ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            session = _session;
        }

        try
        {
            session?.Cancel();
        }
        catch (System.ObjectDisposedException)
        {
        }
    }

    public void Resume()
    {
        TaskCompletionSource<bool>? resumed;
        lock (_gate)
        {
            resumed = _resumed;
            _resumed = null;
        }

        resumed?.TrySetResult(true);
    }

    public Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        Task? wait;
        lock (_gate)
        {
            wait = _resumed?.Task;
        }

        if (wait == null)
        {
            return Task.CompletedTask;
        }

        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationTokenRegistration registration = cancellationToken.Register(() => cancelled.TrySetCanceled(cancellationToken));
        return Task.WhenAny(wait, cancelled.Task).Unwrap().ContinueWith(
            t =>
            {
                registration.Dispose();
                t.GetAwaiter().GetResult();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
