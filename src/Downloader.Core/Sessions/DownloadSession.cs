using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Batch;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// One <c>Start-Download</c> or <c>downloader</c> invocation as the engine sees it: items pushed in, a batch running
/// them, results and throttled progress pushed out to a sink, and suspend, resume and stop for the whole lot. Free of
/// PowerShell, so the PowerShell job and the CLI are thin wrappers over the same pipeline, and this is what the tests
/// exercise.
/// </summary>
public sealed partial class DownloadSession : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private readonly DownloadClient _client;
    private readonly BatchRunner _runner;
    private readonly ItemQueue _queue = new();
    private readonly IPipelineSink _sink;
    private readonly ProgressReporter _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource<bool> _downloadsEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _runGate = new();
    private readonly SessionStop _stopping = new();
    private int _total;
    private int _batchFailures;
    private Task? _run;
    private int _disposed;

    /// <param name="options">Plain data; the session's client builds the live services from it once.</param>
    /// <param name="refresher">Asked for a new URL when one expires part-way (caller-supplied behaviour); null for none.</param>
    public DownloadSession(DownloadOptions options, IPipelineSink sink, TimeSpan? progressInterval = null, IUrlRefresher? refresher = null)
    {
        _client = new DownloadClient(options, refresher);
        _runner = new BatchRunner(_client);
        _sink = new GuardedSink(sink);
        _progress = new ProgressReporter(_sink, () => _clock.Elapsed, progressInterval, Statistics);
        _runner.Started += OnStarted;
        _runner.Finished += OnFinished;
        _runner.Rejected += result => Statistics.Add(result);
    }

    public SessionStateMachine State { get; } = new();

    /// <summary>
    /// The one rate limit every download of the session shares (<see cref="DownloadOptions.MaxBytesPerSecond"/>); its
    /// rate may be changed while they run.
    /// </summary>
    public Transfer.BandwidthLimiter Limiter => _client.Limiter;

    /// <summary>The limits its downloads follow, changeable while they run (Set-Download).</summary>
    public Transfer.LiveLimits Limits => _client.Limits;

    /// <summary>Ended items, counted once for the snapshot, the progress records and the CLI summary alike.</summary>
    public BatchStatistics Statistics { get; } = new();

    /// <summary>The run loop: done once every download the session started has ended and the final state is set.</summary>
    public Task Completion
    {
        get
        {
            lock (_runGate)
            {
                return _run ?? Task.CompletedTask;
            }
        }
    }

    public int Total => Volatile.Read(ref _total);

    /// <summary>Completed and skipped items.</summary>
    public int CompletedCount => Statistics.Done;

    /// <summary>Failed items, plus one if the batch itself stopped on an unexpected error.</summary>
    public int FailedCount => Statistics.Failed + Volatile.Read(ref _batchFailures);

    /// <summary>A live view: every running download's progress plus the finished bytes (see <see cref="BatchStatistics"/>).</summary>
    public SessionSnapshot Snapshot() =>
        SessionSnapshot.Of(State.State, Total, CompletedCount, FailedCount, Statistics.FinishedBytes, _runner.Active);

    /// <summary>Queues an item without waiting, as a PowerShell pipeline hands them over.</summary>
    public void Add(BatchItem item)
    {
        Interlocked.Increment(ref _total);
        _queue.Add(item);
    }

    /// <summary>
    /// Queues an item once the batch has room for it, so a producer reading a long list holds only a window of it.
    /// False if the session has ended and will take no more.
    /// </summary>
    public async Task<bool> AddAsync(BatchItem item, CancellationToken cancellationToken = default)
    {
        if (!await _queue.AddAsync(item, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        Interlocked.Increment(ref _total);
        return true;
    }

    /// <summary>No more items will come; the session completes when the ones it has are done.</summary>
    public void CompleteInput() => _queue.Complete();

    public void Start()
    {
        // The run is registered under the lock, so Completion never misses a run that has begun; the move to Running
        // is made outside it, because its Changed handlers (a job's PowerShell subscribers) may take their time, and
        // Completion, Dispose and StopAsync must not queue behind them. The run waits for that move.
        var moved = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_runGate)
        {
            if (Volatile.Read(ref _disposed) != 0 || _run != null || State.State != SessionState.NotStarted)
            {
                return;
            }

            _run = RunOnceMovedAsync(moved.Task);
        }

        moved.SetResult(State.TryMove(SessionState.Running));
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

        _stopping.Stop(deletePartial, _runner.Active);
        _stop.Cancel();
        _queue.Complete();
        _queue.Release();
        return true;
    }

    /// <summary>
    /// Stops and waits: completes once every download the session ran has ended (its last checkpoint written, its part
    /// file closed) and the run loop has set the final state. Never faults.
    /// </summary>
    public Task StopAsync(bool deletePartial = false)
    {
        Stop(deletePartial);
        return Completion;
    }

    // Counting comes from the result, before any record of it goes out; the progress bar only closes.
    private void OnFinished(FileDownload download, DownloadResult result)
    {
        Statistics.Add(result, started: true);
        _progress.Finished(download, result);
    }

    private void OnStarted(FileDownload download)
    {
        Statistics.Started();
        _stopping.Starting(download);
        _progress.Started(download);
        if (State.State is SessionState.Suspending or SessionState.Suspended)
        {
            download.Pause();
        }
    }

    private async Task RunOnceMovedAsync(Task<bool> moved)
    {
        if (await moved.ConfigureAwait(false))
        {
            await RunAsync().ConfigureAwait(false);
        }
        else
        {
            // Stopped before it ran: there is nothing for Dispose to wait for.
            _downloadsEnded.TrySetResult(true);
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
                ResultDelivery.Write(_sink, result);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Interlocked.Increment(ref _batchFailures);
            _sink.WriteVerbose("The batch stopped: " + e.Message);
        }
        finally
        {
            // The runner ends only after every download it started has ended.
            _downloadsEnded.TrySetResult(true);
            _queue.Close();
            ticking.Cancel();
            await ticker.ConfigureAwait(false);
            _progress.Complete();
            await ConfirmOnDiskAsync().ConfigureAwait(false);
            if (!State.TryMove(SessionState.Stopped))
            {
                State.TryMove(FailedCount > 0 ? SessionState.Failed : SessionState.Completed);
            }
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
