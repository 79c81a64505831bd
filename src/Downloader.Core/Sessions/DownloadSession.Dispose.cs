using System;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Sessions;

/// <summary>The session's teardown: one bounded wait for the downloads, the client kept until the last one ends, and the end-of-run confirmation on disk.</summary>
public sealed partial class DownloadSession
{
    // Dispose is synchronous (Remove-Job, the end of a foreground command): it waits this long for running downloads
    // to write their last checkpoint and close their files.
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(10);

    // The end of a run waits this long for its files to reach the disk (a syncfs, which a disk busy with other
    // programs' writes slows down); past it the run ends unconfirmed.
    private static readonly TimeSpan ConfirmWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Ends whatever still runs and releases the connections; the counters and state stay readable. Running downloads
    /// are cancelled and waited for (up to ten seconds), so none loses its last checkpoint. The client goes once they
    /// have ended: at once, or, past the bound, when the last one does; never from under a live download.
    /// </summary>
    public void Dispose() => Dispose(DisposeWait);

    /// <summary>
    /// Stops and tears down within one bound, as the end of a foreground command must on its pipeline thread: the
    /// stop's wait and the teardown's share <paramref name="bound"/>, so a download that ignores its cancellation holds
    /// the caller for one bound, never two in a row. Returns once the downloads have ended or the bound has passed.
    /// </summary>
    public void StopAndDispose(TimeSpan bound)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StopAsync().Wait(bound);
        Dispose(bound - clock.Elapsed);
    }

    // As Dispose(), waiting at most downloadsWait: a caller that has waited for a stop passes what is left of its bound.
    private void Dispose(TimeSpan downloadsWait)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();

        // Downloads, not the run loop: Dispose may be called from the run loop's own final state change (a job
        // removed as it completes), when the downloads have ended but the loop has not.
        Task ended;
        lock (_runGate)
        {
            ended = _run != null ? _downloadsEnded.Task : Task.CompletedTask;
        }

        ended.Wait(downloadsWait < TimeSpan.Zero ? TimeSpan.Zero : downloadsWait);
        _ = ended.ContinueWith(
            _ =>
            {
                _client.Dispose();
                _stop.Dispose();
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// A run that reached its end (not stopped) makes the files it renamed without a flush durable in one step per
    /// file system and notes so in their folders, before its final state, so a later boot trusts them; bounded, and a
    /// run stopped, killed or past the bound leaves them suspect after a restart (see <c>Storage/FolderConfirmation</c>).
    /// </summary>
    private Task ConfirmOnDiskAsync() =>
        State.State == SessionState.Stopping ? Task.CompletedTask : _client.Flusher.Unflushed.ConfirmAsync(ConfirmWait);

    /// <summary>The client the downloads use; for the tests that check it outlives every download.</summary>
    internal DownloadClient Client => _client;
}
