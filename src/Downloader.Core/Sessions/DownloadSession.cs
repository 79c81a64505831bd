using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Batch;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// One <c>Start-Download</c> invocation as the engine sees it: items pushed in, a batch running them, results and
/// throttled progress pushed out to a sink, and suspend, resume and stop for the whole lot. Free of PowerShell, so
/// the PowerShell job is a thin wrapper and this is what the tests exercise.
/// </summary>
public sealed class DownloadSession : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    private readonly DownloadClient _client;
    private readonly BatchRunner _runner;
    private readonly ItemQueue _queue = new();
    private readonly IPipelineSink _sink;
    private readonly ProgressReporter _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _total;
    private int _completed;
    private int _failed;
    private long _bytes;
    private Task? _run;
    private int _disposed;

    public DownloadSession(DownloadOptions options, IPipelineSink sink, TimeSpan? progressInterval = null)
    {
        _client = new DownloadClient(options);
        _runner = new BatchRunner(_client);
        _sink = sink;
        _progress = new ProgressReporter(sink, () => _clock.Elapsed, progressInterval);
        _runner.Started += OnStarted;
        _runner.Finished += (download, result) => _progress.Finished(download, result);
    }

    public SessionStateMachine State { get; } = new();

    public Task Completion => _run ?? Task.CompletedTask;

    public int Total => Volatile.Read(ref _total);

    public int CompletedCount => Volatile.Read(ref _completed);

    public int FailedCount => Volatile.Read(ref _failed);

    /// <summary>A live view: every running download's progress plus what finished.</summary>
    public SessionSnapshot Snapshot()
    {
        var active = _runner.Active.Select(d => d.GetProgress()).ToList();
        return new SessionSnapshot(
            State.State,
            Total,
            CompletedCount,
            FailedCount,
            Interlocked.Read(ref _bytes) + active.Sum(p => p.BytesReceived),
            active.All(p => p.TotalBytes >= 0) ? Interlocked.Read(ref _bytes) + active.Sum(p => p.TotalBytes) : -1,
            active.Sum(p => p.BytesPerSecond),
            active);
    }

    public void Add(BatchItem item)
    {
        Interlocked.Increment(ref _total);
        _queue.Add(item);
    }

    /// <summary>No more items will come; the session completes when the ones it has are done.</summary>
    public void CompleteInput() => _queue.Complete();

    public void Start()
    {
        if (State.TryMove(SessionState.Running))
        {
            _run = Task.Run(RunAsync);
        }
    }

    /// <summary>Pauses every download and starts no new one; the state is Suspended once all transfer has stopped.</summary>
    public bool Suspend()
    {
        if (!State.TryMove(SessionState.Suspending))
        {
            return false;
        }

        _queue.Hold();
        foreach (FileDownload download in _runner.Active)
        {
            download.Pause();
        }

        return true;
    }

    public bool Resume()
    {
        if (State.State != SessionState.Suspended && State.State != SessionState.Suspending)
        {
            return false;
        }

        // Suspending → Suspended first, so the move back to Running is always a legal one.
        State.TryMove(SessionState.Suspended);
        if (!State.TryMove(SessionState.Running))
        {
            return false;
        }

        foreach (FileDownload download in _runner.Active)
        {
            download.Resume();
        }

        _queue.Release();
        return true;
    }

    /// <summary>Cancels everything; partial files stay for a later resume unless <paramref name="deletePartial"/>.</summary>
    public bool Stop(bool deletePartial = false)
    {
        if (Volatile.Read(ref _disposed) != 0 || !State.TryMove(SessionState.Stopping))
        {
            if (State.State == SessionState.NotStarted)
            {
                State.TryMove(SessionState.Stopped);
            }

            return false;
        }

        foreach (FileDownload download in _runner.Active)
        {
            download.Cancel(deletePartial);
        }

        _stop.Cancel();
        _queue.Complete();
        _queue.Release();
        return true;
    }

    /// <summary>Ends whatever still runs and releases the connections; the counters and state stay readable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _client.Dispose();
        _stop.Dispose();
    }

    private void OnStarted(FileDownload download)
    {
        _progress.Started(download);
        if (State.State is SessionState.Suspending or SessionState.Suspended)
        {
            download.Pause();
        }
    }

    private async Task RunAsync()
    {
        using var ticking = new CancellationTokenSource();
        Task ticker = TickAsync(ticking.Token);
        try
        {
            await foreach (DownloadResult result in _runner.RunAsync(_queue.ReadAsync(_stop.Token), _stop.Token).ConfigureAwait(false))
            {
                Deliver(result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _failed);
            _sink.WriteVerbose("The batch stopped: " + e.Message);
        }
        finally
        {
            ticking.Cancel();
            await ticker.ConfigureAwait(false);
            _progress.Complete();
            if (!State.TryMove(SessionState.Stopped))
            {
                State.TryMove(FailedCount > 0 ? SessionState.Failed : SessionState.Completed);
            }
        }
    }

    private void Deliver(DownloadResult result)
    {
        switch (result.Status)
        {
            case DownloadStatus.Completed or DownloadStatus.Skipped:
                Interlocked.Increment(ref _completed);
                Interlocked.Add(ref _bytes, result.Bytes);
                _sink.WriteResult(result);
                break;
            case DownloadStatus.Cancelled:
                _sink.WriteVerbose($"{result.Input}: cancelled; partial data kept for resuming.");
                break;
            default:
                if (result.Url == null)
                {
                    _progress.Rejected();
                }

                Interlocked.Increment(ref _failed);
                _sink.WriteFailure(result);
                break;
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TickInterval, cancellationToken).ConfigureAwait(false);
                _progress.Tick();
                if (State.State == SessionState.Suspending && _runner.Active.All(d => d.State is DownloadState.Paused or DownloadState.Completed or DownloadState.Failed or DownloadState.Cancelled))
                {
                    State.TryMove(SessionState.Suspended);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
