using System;
using System.ComponentModel;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Results;
using Downloader.Core.Sessions;
using Downloader.Core.Streaming;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// A watch-while-downloading session as a job: it serves the file on a local URL until stopped. Its output is one
/// <see cref="StreamInfo"/> with that URL. Stop-Download (or Stop-Job) ends it, keeping the partial file unless asked.
/// </summary>
public sealed class StreamJob : DownloaderJob
{
    public const string JobTypeName = "DownloadStreamJob";
    private readonly StreamSession _session;
    private readonly DownloadRequest _request;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly TaskCompletionSource<StreamInfo?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;

    internal StreamJob(string command, string? name, DownloadOptions options, DownloadRequest request, IPAddress address, int port)
        : base(command, name)
    {
        PSJobTypeName = JobTypeName;
        _session = new StreamSession(options);
        _request = request;
        _address = address;
        _port = port;
    }

    public override string StatusMessage => _session.Url?.AbsoluteUri ?? "starting";

    /// <summary>Completes with the stream's description once it serves, or null if it could not start.</summary>
    internal Task<StreamInfo?> Ready => _ready.Task;

    internal override SessionSnapshot Snapshot()
    {
        FileDownload? download = _session.Download;
        var progress = download?.GetProgress();
        var state = JobStateInfo.State switch
        {
            JobState.Running => Core.Sessions.SessionState.Running,
            JobState.Suspended => Core.Sessions.SessionState.Suspended,
            JobState.Stopped => Core.Sessions.SessionState.Stopped,
            JobState.Failed => Core.Sessions.SessionState.Failed,
            _ => Core.Sessions.SessionState.NotStarted,
        };
        return new SessionSnapshot(
            state,
            1,
            download?.State == DownloadState.Completed ? 1 : 0,
            download?.State == DownloadState.Failed ? 1 : 0,
            progress?.BytesReceived ?? 0,
            progress?.TotalBytes ?? -1,
            progress?.BytesPerSecond ?? 0,
            progress == null ? Array.Empty<Downloader.Core.Results.DownloadProgress>() : new[] { progress });
    }

    internal override void Stop(bool deletePartial)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        SetJobState(JobState.Stopping);
        _session.StopServing(deletePartial);
        _session.Download?.Cancel(deletePartial);
        SetJobState(JobState.Stopped);
        _ready.TrySetResult(null);
    }

    /// <summary>
    /// Playback is over but the file is wanted: stop serving and let the download run to the end. The job then
    /// completes with the file's result, or fails with its error.
    /// </summary>
    internal void FinishInBackground()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        _session.StopServing(discard: false);
        _ready.TrySetResult(null);
        FileDownload? download = _session.Download;
        if (download == null)
        {
            SetJobState(JobState.Stopped);
            return;
        }

        download.Completion.ContinueWith(
            t =>
            {
                DownloadResult result = t.Result;
                try
                {
                    if (result.Status == DownloadStatus.Completed)
                    {
                        Output.Add(new PSObject(new DownloadItem(result)));
                        SetJobState(JobState.Completed);
                    }
                    else
                    {
                        Error.Add(ErrorRecords.FromResult(result));
                        SetJobState(JobState.Failed);
                    }
                }
                catch (Exception e) when (e is ObjectDisposedException or PSInvalidOperationException)
                {
                    // Removed while finishing.
                }
            },
            TaskScheduler.Default);
    }

    #region Overrides

    public override void StartJob()
    {
        SetJobState(JobState.Running);
        Task.Run(async () =>
        {
            try
            {
                Uri url = await _session.StartAsync(_request, _address, _port, CancellationToken.None).ConfigureAwait(false);
                var info = new StreamInfo(url, _session.Download!.Path, _request.Uri, this);
                Output.Add(new PSObject(info));
                _ready.TrySetResult(info);
            }
            catch (Exception e)
            {
                if (Volatile.Read(ref _stopped) == 1)
                {
                    // Stopped while starting (Ctrl+C, Stop-Download): Stopped is the state, not Failed.
                    return;
                }

                Interlocked.Exchange(ref _stopped, 1);
                string id = e is DownloadException d ? "Downloader." + d.Kind : "Downloader.StreamFailed";
                Error.Add(new ErrorRecord(e, id, ErrorCategory.ConnectionError, Core.Http.UserInfo.Redact(_request.Uri)));
                _ready.TrySetResult(null);
                SetJobState(JobState.Failed);
            }
        });
    }

    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void StopJob() => Stop(deletePartial: false);

    public override void StopJob(bool force, string? reason) => Stop(deletePartial: false);

    public override void StopJobAsync() => StopJobAsync(force: false, reason: null);

    public override void StopJobAsync(bool force, string? reason)
    {
        Stop(deletePartial: false);
        OnStopJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void SuspendJob() => Suspend();

    public override void SuspendJob(bool force, string? reason) => Suspend();

    public override void SuspendJobAsync() => SuspendJobAsync(force: false, reason: null);

    public override void SuspendJobAsync(bool force, string? reason)
    {
        Suspend();
        OnSuspendJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    public override void ResumeJob()
    {
        _session.Download?.Resume();
        SetJobState(JobState.Running);
    }

    public override void ResumeJobAsync()
    {
        ResumeJob();
        OnResumeJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    #endregion

    #region Not implemented

    public override void UnblockJob() => throw new NotSupportedException("Stream jobs never block.");

    public override void UnblockJobAsync() => throw new NotSupportedException("Stream jobs never block.");

    #endregion

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Stop(deletePartial: false);
            _session.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Suspend()
    {
        _session.Download?.Pause();
        SetJobState(JobState.Suspended);
    }
}
