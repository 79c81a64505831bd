using System;
using System.ComponentModel;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Sessions;
using SessionState = Downloader.Core.Sessions.SessionState;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// A Start-Download invocation as a PowerShell job. The <see cref="DownloadSession"/> does the work; this class maps
/// its states onto JobState and its control onto the Job2 overrides, and every asynchronous override raises its
/// completion event, without which Stop-Job and Remove-Job -Force would wait forever.
/// </summary>
public sealed class DownloadJob : DownloaderJob
{
    public const string JobTypeName = "DownloadJob";

    // How long ending the foreground or Stop-Job waits for the downloads to write their last checkpoint and close
    // their files. Bounded, because PowerShell calls these on its pipeline thread; the downloads only have to wind
    // down, which takes moments, so the bound is reached only by an engine that hangs.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private readonly DownloadSession _session;
    private int _disposed;

    internal DownloadJob(string command, string? name, DownloadOptions options, ScriptBlockRefresher? refresher = null)
        : base(command, name)
    {
        PSJobTypeName = JobTypeName;
        Refresher = refresher;
        _session = new DownloadSession(options, new JobSink(this), refresher: refresher);
        _session.State.Changed += OnSessionStateChanged;
    }

    internal DownloadSession Session => _session;

    /// <summary>Start-Download -RefreshUrl's hook, whose scriptblocks the foreground pump runs; null without one.</summary>
    internal ScriptBlockRefresher? Refresher { get; }

    /// <summary>True once Remove-Job (or the end of the foreground) has disposed the job; its streams are closed.</summary>
    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public override string StatusMessage
    {
        get
        {
            SessionSnapshot s = _session.Snapshot();
            string percent = s.PercentComplete >= 0 ? $", {s.PercentComplete:0}%" : string.Empty;
            return $"{s.Completed + s.Failed}/{s.Total} files{percent}";
        }
    }

    internal override SessionSnapshot Snapshot() => _session.Snapshot();

    /// <summary>
    /// Stops and returns once the downloads have ended (bounded), as Stop-Job does: a script that runs
    /// <c>Resume-Download -Path</c> or the same command next finds the part files closed and no longer owned.
    /// </summary>
    internal override void Stop(bool deletePartial)
    {
        if (SessionStateMachine.IsFinished(_session.State.State))
        {
            return;
        }

        _session.StopAsync(deletePartial).Wait(StopWait);
    }

    internal void Add(BatchItem item) => _session.Add(item);

    /// <summary>Adds once the queue has room; false if the session has ended (see <see cref="DownloadSession.AddAsync"/>).</summary>
    internal Task<bool> AddWhenRoomAsync(BatchItem item) => _session.AddAsync(item);

    internal void CompleteInput() => _session.CompleteInput();

    /// <summary>
    /// The foreground Start-Download that ran this job has ended: nothing may run on without it, and its connections
    /// go, but the job stays listed by Get-Download among the recent ones. Returns once the downloads have ended (or
    /// the bound passed), so a command run again right away finds the part files closed and their state written.
    /// </summary>
    internal void EndForeground()
    {
        // One bound for the whole, stop and teardown (the client goes when the last download ends, not from under it).
        _session.StopAndDispose(StopWait);
    }

    #region Overrides

    public override void StartJob() => _session.Start();

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void StopJob() => StopJob(force: false, reason: null);

    public override void StopJob(bool force, string? reason)
    {
        // A finished session has nothing to stop; and its final state change may be the caller (auto-removal), so
        // waiting on its completion here would wait for ourselves.
        if (SessionStateMachine.IsFinished(_session.State.State))
        {
            return;
        }

        _session.StopAsync().Wait(StopWait);
    }

    public override void StopJobAsync() => StopJobAsync(force: false, reason: null);

    public override void StopJobAsync(bool force, string? reason)
    {
        _session.StopAsync().ContinueWith(
            t => OnStopJobCompleted(new AsyncCompletedEventArgs(t.Exception, false, null)),
            TaskScheduler.Default);
    }

    public override void SuspendJob() => _session.Suspend();

    public override void SuspendJob(bool force, string? reason) => _session.Suspend();

    public override void SuspendJobAsync() => SuspendJobAsync(force: false, reason: null);

    public override void SuspendJobAsync(bool force, string? reason)
    {
        _session.Suspend();
        OnSuspendJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void ResumeJob() => _session.Resume();

    public override void ResumeJobAsync()
    {
        _session.Resume();
        OnResumeJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    #endregion

    #region Not implemented

    public override void UnblockJob() => throw new NotSupportedException("Download jobs never block.");

    public override void UnblockJobAsync() => throw new NotSupportedException("Download jobs never block.");

    #endregion

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // First, so the sink drops what the winding-down downloads still report instead of writing to closed streams.
            Interlocked.Exchange(ref _disposed, 1);
            _session.Stop();
            _session.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnSessionStateChanged(SessionState state)
    {
        try
        {
            SetJobState(state switch
            {
                SessionState.Running => JobState.Running,
                SessionState.Suspending => JobState.Suspending,
                SessionState.Suspended => JobState.Suspended,
                SessionState.Stopping => JobState.Stopping,
                SessionState.Stopped => JobState.Stopped,
                SessionState.Completed => JobState.Completed,
                SessionState.Failed => JobState.Failed,
                _ => JobState.NotStarted,
            });
        }
        catch (ObjectDisposedException)
        {
            // Remove-Job disposed the job while it was finishing.
        }
        catch (PSInvalidOperationException)
        {
        }
    }
}
