using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Results;

namespace Downloader.Core.Batch;

/// <summary>
/// Runs a stream of items on one client: items start while the input is still being read, at most as many files
/// run as the connection budget allows, and each result comes out as soon as its item ends. Neither the input nor the
/// results are ever held whole, so 100,000 items cost what a few dozen do.
/// </summary>
public sealed class BatchRunner
{
    private readonly DownloadClient _client;
    private readonly ConcurrentDictionary<FileDownload, byte> _active = new();

    public BatchRunner(DownloadClient client)
    {
        _client = client;
    }

    /// <summary>
    /// Raised on a thread-pool thread when an item is about to start downloading: it is in <see cref="Active"/> and
    /// has sent nothing yet, so a pause or cancel made here (a stop that found it not yet active) reaches it before
    /// its first request. An exception from a handler is swallowed.
    /// </summary>
    public event Action<FileDownload>? Started;

    /// <summary>
    /// Raised on a thread-pool thread when an item that started has ended, before its result is yielded. An exception
    /// from a handler is swallowed: it never stops the batch or loses the result.
    /// </summary>
    public event Action<FileDownload, DownloadResult>? Finished;

    /// <summary>
    /// Raised when an item that never starts ends, before its result is yielded: invalid input (failed), or a duplicate
    /// of an earlier item (skipped, see <see cref="DuplicateFilter"/>). An exception from a handler is swallowed.
    /// </summary>
    public event Action<DownloadResult>? Rejected;

    /// <summary>The downloads running now.</summary>
    public ICollection<FileDownload> Active => _active.Keys;

    public async IAsyncEnumerable<DownloadResult> RunAsync(
        IAsyncEnumerable<BatchItem> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var results = new ResultQueue();
        // Twice the connections: a file that is flushing and renaming has already given its connection back.
        int maxInFlight = 2 * (_client.Budget?.Total ?? Math.Max(1, _client.Options.MaxConnectionsPerHost));
        using var admission = new SemaphoreSlim(maxInFlight, maxInFlight);
        Task producer = ProduceAsync(items, admission, maxInFlight, results, cancellationToken);
        while (await results.WaitAsync().ConfigureAwait(false))
        {
            while (results.TryTake(out DownloadResult? result))
            {
                yield return result!;
            }
        }

        await producer.ConfigureAwait(false);
    }

    private async Task ProduceAsync(IAsyncEnumerable<BatchItem> items, SemaphoreSlim admission, int maxInFlight, ResultQueue results, CancellationToken cancellationToken)
    {
        var duplicates = new DuplicateFilter();
        try
        {
            await foreach (BatchItem item in items.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                DownloadResult? early = item.Request == null ? Invalid(item) : duplicates.Check(item);
                if (early != null)
                {
                    try
                    {
                        Rejected?.Invoke(early);
                    }
                    catch (Exception)
                    {
                        // As for Finished: the result still goes out.
                    }

                    results.Add(early);
                    continue;
                }

                await admission.WaitAsync(cancellationToken).ConfigureAwait(false);
                // Active before it starts: a stop (with -DeletePartial) that looks at Active either finds it there or,
                // once Started is raised, is seen by the Started handler; it never runs unseen.
                FileDownload download = _client.Create(item.Request!, cancellationToken);
                _active[download] = 0;
                try
                {
                    Started?.Invoke(download);
                }
                catch (Exception)
                {
                    // As for Finished: the continuation below must still be registered, or this slot never returns.
                }

                _ = download.Completion.ContinueWith(
                    t => Finish(download, t.Result, admission, results),
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                download.Start();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Every admitted item gives its slot back when it ends; taking them all means all have ended.
            for (int i = 0; i < maxInFlight; i++)
            {
                await admission.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            results.Complete();
        }
    }

    /// <summary>
    /// The bookkeeping of an ended item comes first and cannot be skipped: its slot goes back and its result is queued
    /// whatever <see cref="Finished"/> does. A handler that throws (a removed job's closed stream) loses its own
    /// update; letting it skip the release would leave the producer waiting for that slot forever.
    /// </summary>
    private void Finish(FileDownload download, DownloadResult result, SemaphoreSlim admission, ResultQueue results)
    {
        try
        {
            _active.TryRemove(download, out _);
            Finished?.Invoke(download, result);
        }
        catch (Exception)
        {
            // The handler's failure is the handler's problem; see the summary.
        }
        finally
        {
            results.Add(result);
            admission.Release();
        }
    }

    private static DownloadResult Invalid(BatchItem item) => new()
    {
        Input = Http.UserInfo.Redact(item.Input),
        Status = DownloadStatus.Failed,
        Error = item.Error == null ? null : Http.UserInfo.Redact(item.Error),
        ErrorKind = DownloadErrorKind.InvalidRequest,
        StartTime = DateTimeOffset.UtcNow,
        EndTime = DateTimeOffset.UtcNow,
    };

    /// <summary>An unbounded hand-off from completion callbacks to the enumerating caller.</summary>
    private sealed class ResultQueue
    {
        private readonly ConcurrentQueue<DownloadResult> _queue = new();
        private readonly SemaphoreSlim _signal = new(0);
        private int _completed;

        public void Add(DownloadResult result)
        {
            _queue.Enqueue(result);
            _signal.Release();
        }

        public void Complete()
        {
            Interlocked.Exchange(ref _completed, 1);
            _signal.Release();
        }

        public bool TryTake(out DownloadResult? result) => _queue.TryDequeue(out result);

        /// <summary>Waits for a result; false once completed and drained.</summary>
        public async Task<bool> WaitAsync()
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            return !_queue.IsEmpty || Volatile.Read(ref _completed) == 0;
        }
    }
}
