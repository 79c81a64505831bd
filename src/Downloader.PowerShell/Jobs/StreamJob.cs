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
/// The job's state is never set ad hoc: it follows the session's <see cref="StreamState"/> one way, in
/// <see cref="OnSessionChanged"/>, as <see cref="DownloadJob"/> follows its download session.
/// </summary>
public sealed class StreamJob : DownloaderJob
{
    public const string JobTypeName = "DownloadStreamJob";
    private readonly StreamSession _session;
    private readonly DownloadRequest _request;
    private readonly IPAddress _address;
    private readonly int _port;
    private readonly TaskCompletionSource<StreamInfo?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal StreamJob(string command, string? name, DownloadOptions options, DownloadRequest request, IPAddress address, int port)
        : base(command, name)
    {
        PSJobTypeName = JobTypeName;
        _session = new StreamSession(options);
        _session.Changed += OnSessionChanged;
        _request = request;
        _address = address;
        _port = port;
    }

    public override string StatusMessage => _session.Url?.AbsoluteUri ?? _session.State.ToString();

    /// <summary>Completes with the stream's description once it serves, or null if it could not start.</summary>
    internal Task<StreamInfo?> Ready => _ready.Task;

    internal override SessionSnapshot Snapshot()
    {
        FileDownload? download = _session.Download;
        var progress = download?.GetProgress();
        var state = _session.State switch
        {
            StreamState.NotStarted => Core.Sessions.SessionState.NotStarted,
            StreamState.Suspended => Core.Sessions.SessionState.Suspended,
            StreamState.Completed => Core.Sessions.SessionState.Completed,
            StreamState.Stopped => Core.Sessions.SessionState.Stopped,
            StreamState.Failed => Core.Sessions.SessionState.Failed,
            _ => Core.Sessions.SessionState.Running,
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

    internal override void Stop(bool deletePartial) => _session.Stop(deletePartial);

    /// <summary>
    /// Playback is over but the file is wanted: stop serving and let the download run to the end. The job then
    /// completes with the file's result, or fails with its error.
    /// </summary>
    internal void FinishInBackground()
    {
        if (!_session.Finish())
        {
            _session.Stop(discard: false);
        }
    }

    /// <summary>The one mapping from the session's state to the job's; records go out before the state that ends the job.</summary>
    private void OnSessionChanged(object? sender, StreamState state)
    {
        try
        {
            switch (state)
            {
                case StreamState.Starting:
                case StreamState.Serving:
                case StreamState.Finishing:
                    SetJobState(JobState.Running);
                    break;
                case StreamState.Suspended:
                    SetJobState(JobState.Suspended);
                    break;
                case StreamState.Completed:
                    // Completed is reached only once the download completed.
                    Output.Add(new PSObject(new DownloadItem(_session.Download!.Completion.Result)));
                    SetJobState(JobState.Completed);
                    break;
                case StreamState.Stopped:
                    SetJobState(JobState.Stopped);
                    break;
                case StreamState.Failed:
                    Error.Add(FailureRecord());
                    SetJobState(JobState.Failed);
                    break;
            }
        }
        catch (Exception e) when (e is ObjectDisposedException or PSInvalidOperationException)
        {
            // The job was removed: what arrives late has nowhere to go.
        }

        if (state is StreamState.Completed or StreamState.Stopped or StreamState.Failed)
        {
            _ready.TrySetResult(null);
        }
    }

    private ErrorRecord FailureRecord()
    {
        if (_session.Download?.Completion is { IsCompleted: true } done && done.Result.Status == DownloadStatus.Failed)
        {
            return ErrorRecords.FromResult(done.Result);
        }

        DownloadException error = _session.Failure ?? new DownloadException(DownloadErrorKind.Unknown, "The stream failed.");
        return new ErrorRecord(error, "Downloader." + error.Kind, ErrorCategory.ConnectionError, Core.Http.UserInfo.Redact(_request.Uri));
    }

    #region Overrides

    public override void StartJob()
    {
        Task.Run(async () =>
        {
            try
            {
                Uri url = await _session.StartAsync(_request, _address, _port, CancellationToken.None).ConfigureAwait(false);
                var info = new StreamInfo(url, _session.Download!.Path, _request.Uri, this);
                Output.Add(new PSObject(info));
                _ready.TrySetResult(info);
            }
            catch (Exception)
            {
                // The session is Failed (its error record went out) or Stopped; the job followed it.
                _ready.TrySetResult(null);
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

    public override void ResumeJob() => _session.Resume();

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
            // Unsubscribed first: the teardown's own stop, and whatever the download still reports as it winds down,
            // must not reach a job that is being disposed (its state, its Output and Error streams).
            _session.Changed -= OnSessionChanged;
            _session.Dispose();
            _ready.TrySetResult(null);
        }

        base.Dispose(disposing);
    }

    private void Suspend() => _session.Suspend();
}
