using System;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Naming;
using Downloader.Core.Pipeline;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Results;
using Downloader.Core.Storage;
using Downloader.Core.Transfer;

namespace Downloader.Core;

/// <summary>
/// One download, run as a short pipeline: probe → target (file or memory) → plan → transfer → finish, with one restart
/// rule (<see cref="RestartPolicy"/>) for every target. It starts when <see cref="Start"/> is called, can be paused,
/// resumed and cancelled from any thread, and its progress read from any thread. <see cref="Completion"/> never
/// faults: failures come back as a result with <see cref="DownloadStatus.Failed"/>, so one bad item never takes a batch
/// down.
/// Concurrency: the run task is the only writer of the state machine and of the live transfer; other threads read
/// them through volatile reads. Pause and cancel are requests, carried by <see cref="PauseGate"/> and a token.
/// </summary>
public sealed class FileDownload
{
    private readonly DownloadClient _client;
    private readonly DestinationPicker _destination;
    private readonly CancellationTokenSource _cancel;
    private readonly ThroughputMeter _meter = new();
    private readonly RetryPipelineFactory.StrongBox _retries = new();
    private readonly DownloadStateMachine _state = new();
    private readonly PausableSteps _steps;
    private readonly IPieceSelector _selector;
    private readonly TaskCompletionSource<DownloadResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProbeInfo> _probed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITransfer? _transfer;
    private ProbeResult? _probe;
    private string? _path;
    private int _partFiles;
    private volatile bool _deletePartialOnCancel;

    internal FileDownload(DownloadClient client, DownloadRequest request, CancellationToken cancellationToken, IPieceSelector selector)
    {
        _client = client;
        Request = request;
        _selector = selector;
        _destination = new DestinationPicker(client.Names, request, client.Options.ExistingFile, client.Flusher.Unflushed, names => new HashCheck(request, client.Options, names).Expected);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _steps = new PausableSteps(_state, client.Budget, ConnectionBudget.ServerOf(request.Uri), _cancel.Token);
    }

    public DownloadRequest Request { get; }

    public Task<DownloadResult> Completion => _completion.Task;

    /// <summary>
    /// Completes once the probe has run and the destination is chosen, or once the download ends without a transfer
    /// (<see cref="ProbeInfo.EndedWithoutTransfer"/>: skipped, the file already complete); faults if the download fails
    /// or is cancelled first. The fault is marked observed, so no one is obliged to await it.
    /// </summary>
    public Task<ProbeInfo> Probed => _probed.Task;

    public DownloadState State => _state.State;

    /// <summary>The final path, once the name is known.</summary>
    public string? Path => Volatile.Read(ref _path);

    /// <summary>What the probe learned, once it has run.</summary>
    public string? ContentType => Volatile.Read(ref _probe)?.ContentType;

    /// <summary>The remote size once known, else -1.</summary>
    public long TotalBytes => Volatile.Read(ref _transfer)?.Length ?? -1;

    /// <summary>The transfer in flight, once there is one: streaming asks it what is written and steers it.</summary>
    internal ITransfer? Transfer => Volatile.Read(ref _transfer);

    /// <summary>How many part files this download has opened: a restart discards the last one, and readers of it go stale.</summary>
    internal int PartFiles => Volatile.Read(ref _partFiles);

    /// <summary>A reader of the file's bytes while it downloads and after (see <see cref="PartFileReader"/>); the caller disposes it.</summary>
    internal PartFileReader OpenReader() => new(Path ?? throw new InvalidOperationException("The download has no file yet."));

    private DownloadOptions Options => _client.Options;

    /// <summary>Stops all transfer within moments; bytes on disk are kept and recorded.</summary>
    public void Pause() => _steps.Pause();

    /// <summary>The cancellation linked to the caller's token; for the tests that check nothing outlives the download.</summary>
    internal CancellationTokenSource Cancellation => _cancel;

    /// <summary>Continues from the bytes on disk, after a pause of any length.</summary>
    public void Resume() => _steps.Resume();

    /// <summary>Cancels; the part and state files stay for a later resume unless <paramref name="deletePartial"/>.</summary>
    public void Cancel(bool deletePartial = false)
    {
        _deletePartialOnCancel = deletePartial;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended: nothing left to cancel.
        }
    }

    public DownloadProgress GetProgress()
    {
        ITransfer? transfer = Volatile.Read(ref _transfer);
        return new DownloadProgress
        {
            State = State,
            TotalBytes = transfer?.Length ?? -1,
            BytesReceived = transfer?.BytesReceived ?? 0,
            BytesPerSecond = _meter.BytesPerSecond,
            FileName = Path == null ? null : System.IO.Path.GetFileName(Path),
            Connections = transfer?.Connections ?? Array.Empty<ConnectionProgress>(),
        };
    }

    /// <summary>Starts the work, once the caller has wired what it observes.</summary>
    internal FileDownload Start()
    {
        _ = Task.Run(RunAsync);
        return this;
    }

    private async Task RunAsync()
    {
        var results = new ResultBuilder(Request, () => Volatile.Read(ref _retries.Value));
        DownloadResult result;
        try
        {
            result = await RunStagesAsync(results).ConfigureAwait(false);
            _destination.Settle();
            _state.Finish(DownloadState.Completed);
        }
        catch (TargetBusyException busy)
        {
            // Not a failure: the same URL is being downloaded to the same place by another process or session.
            result = results.InProgressElsewhere(Volatile.Read(ref _probe), busy);
            _state.Finish(DownloadState.Completed);
        }
        catch (Exception e)
        {
            bool cancelled = _cancel.IsCancellationRequested;
            if (cancelled && _deletePartialOnCancel && Path != null)
            {
                DownloadFiles.DiscardPartial(Path);
            }

            // The name of a failed item is free for whoever comes next; its files are dealt with first, under the lock.
            _destination.Release();

            _state.Finish(cancelled ? DownloadState.Cancelled : DownloadState.Failed);
            result = results.Failure(Volatile.Read(ref _probe), Path, GetProgress().BytesReceived, e, cancelled);
        }
        finally
        {
            _steps.ReleaseConnection();

            // The link to the caller's token is a registration on that token, which lives as long as the session: left
            // in place, every finished download of a 100,000-URL list would stay reachable through it.
            _cancel.Dispose();
        }

        if (result.Status == DownloadStatus.Skipped && result.Reason == "unchanged")
        {
            _probed.TrySetResult(new ProbeInfo { Length = result.Bytes, ContentType = result.ContentType, Path = result.Path, EndedWithoutTransfer = true });
        }
        else if (_probed.TrySetException(new DownloadException(result.ErrorKind ?? DownloadErrorKind.Unknown, result.Error ?? "The download ended before its probe.")))
        {
            // Observed here: a caller that never looked at Probed (a batch item) leaves no unobserved fault behind.
            _ = _probed.Task.Exception;
        }

        _completion.TrySetResult(result);
    }

    private async Task<DownloadResult> RunStagesAsync(ResultBuilder results)
    {
        var sender = new RequestSender(_client.Lanes, Options, Request.Uri);
        var source = new RefreshableSource(Request.Uri, _client.Refresher, Options.MaxUrlRefreshes, () => Path);
        var probing = new ProbeStep(new Prober(sender, Options.MinSplitSize), Request, Options, _destination, () => source.ProbeTarget);
        var context = new TransferContext(_client, sender, _retries, _meter, source, _selector) { Stopping = _cancel.Token };
        bool single = false;
        for (int restarts = 0; ; restarts++)
        {
            using ProbeResult probe = await _steps.RunAsync(DownloadState.Probing, ct => context.RetryAsync(probing.ProbeAsync, ct)).ConfigureAwait(false);
            if (probing.LocalCopyIsCurrent(probe) is string current)
            {
                Volatile.Write(ref _path, current);
                return results.Skipped(probe, current);
            }

            if (probe.NotModified)
            {
                continue;
            }

            Volatile.Write(ref _probe, probe);
            context.Adopt(probe);
            ContentTypeFilter.Check(Options.AcceptContentTypes, probe.ContentType, UserInfo.Redacted(Request.Uri));
            using IDownloadTarget? target = Targets.Open(_client, Request, _destination, probe, out string? path);
            Volatile.Write(ref _path, path);
            if (target == null)
            {
                return results.Skipped(probe, path!);
            }

            try
            {
                bool decode = ContentCoding.Decodes(probe.ContentEncoding, target.Name, probe.ContentType);
                TransferPlan plan = TransferPlan.Decide(probe, Options, target.Saved(probe), single, Request.Mirrors.Count > 0, decode);
                ITransfer transfer = Targets.Transfer(_client, context, plan, target, probe, Request);
                Interlocked.Increment(ref _partFiles);
                Volatile.Write(ref _transfer, transfer);
                _probed.TrySetResult(new ProbeInfo { Length = probe.Length, ContentType = probe.ContentType, Path = _path });
                TransferOutcome outcome = await _steps.RunAsync(DownloadState.Downloading, ct => transfer.RunAsync(Handover(plan, probe), ct)).ConfigureAwait(false);
                _steps.ReleaseConnection();
                NextStep next = RestartPolicy.After(outcome, restarts, single, UserInfo.Redact(Request.Uri));
                if (next == NextStep.Finish)
                {
                    _state.Move(DownloadState.Verifying);
                    FinishedContent finished = await target.FinishAsync(transfer, probe).ConfigureAwait(false);
                    return results.Success(probe, transfer, plan.Resumed, finished);
                }

                single |= next == NextStep.SingleStream;
                target.Discard();
            }
            catch (Exception)
            {
                target.Abandon(_cancel.IsCancellationRequested, _cancel.IsCancellationRequested && _deletePartialOnCancel);
                throw;
            }
        }
    }

    // What the transfer takes over: the download's lease and, when the plan reuses it, the probe's open body.
    private ProbeHandover Handover(TransferPlan plan, ProbeResult probe) =>
        new(_steps.TakeLease(), ConnectionBudget.ServerOf(Request.Uri), plan.ReuseProbeResponse ? probe.TakeResponse() : null, probe.ResponseEnd);
}
