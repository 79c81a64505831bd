using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Pipeline;
using Downloader.Core.Planning;
using Downloader.Core.Results;
using Downloader.Core.Resume;
using Downloader.Core.Storage;

namespace Downloader.Core.Transfer;

/// <summary>
/// Runs the connections of one split download for one session (until done, paused, cancelled or failed) and keeps
/// the state file current: each checkpoint snapshots the written ranges, flushes the part file to disk, and only then
/// records that snapshot. Each connection is a <see cref="Connection"/> that leases from the budget while it has work
/// (the first starts with the download's lease and the probe's body, handed over), so a batch's budget flows to the
/// files that can use it.
/// </summary>
internal sealed class RangedTransfer : ITransfer
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private readonly TransferContext _context;
    private readonly SegmentMap _map;
    private readonly IContentSink _sink;
    private readonly string? _statePath;
    private readonly Uri _requestUri;
    private readonly ConnectionBudget? _budget;
    private readonly SourcePool _sources;
    private readonly object _checkpointGate = new();
    private int _connectionsUsed;

    /// <param name="statePath">The state file, or null for downloads that cannot be resumed (in memory).</param>
    /// <param name="sources">The URL and its mirrors; null for the probe's URL alone.</param>
    public RangedTransfer(TransferContext context, SegmentMap map, IContentSink sink, string? statePath, Uri requestUri, ConnectionBudget? budget, SourcePool? sources = null)
    {
        _sources = sources ?? new SourcePool(context, new DownloadRequest(requestUri), null);
        _sources.Surrender = map.Preempt;
        _context = context;
        _map = map;
        _sink = sink;
        _statePath = statePath;
        // The state file never holds a password: it is written as the URL is shown.
        _requestUri = Http.UserInfo.Redacted(requestUri);
        _budget = budget;
    }

    public int ConnectionsUsed => Volatile.Read(ref _connectionsUsed);

    public long BytesReceived => _map.CompletedBytes;

    public IReadOnlyList<SourceBytes> Sources => _sources.Report();

    public long Length => _map.Length;

    public string? Hash => null;

    public IReadOnlyList<ConnectionProgress> Connections => _map.Snapshot()
        .Where(s => s.IsOwned)
        .Select(s => new ConnectionProgress(s.Id, s.Start, s.Position, s.End, s.BytesPerSecond))
        .ToList();

    public long ContiguousFrom(long offset) => _map.ContiguousFrom(offset);

    public bool IsFetchingNear(long offset, long within) => _map.IsBeingFetchedNear(offset, within);

    public void Regroup() => _map.Preempt();

    public bool Checkpointed { get; private set; }

    public async Task<TransferOutcome> RunAsync(ProbeHandover handover, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var complete = new CancellationTokenSource();
        Exception? firstError = null;
        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref firstError, e, null);
            session.Cancel();
        }

        Task checkpoints = CheckpointLoopAsync(Fail, session.Token);
        var run = new Run(_context.Selector, Fail, session.Token, complete);
        List<Task> workers = await StartConnectionsAsync(handover, run).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (Exception) when (firstError != null || cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            session.Cancel();
            await checkpoints.ConfigureAwait(false);
        }

        // The last checkpoint runs after every writer stopped, so it records everything they wrote. A complete file
        // needs none: it is flushed and published next, and its state file removed.
        if (!_map.IsComplete)
        {
            try
            {
                Checkpoint();
            }
            catch (DownloadException) when (firstError != null)
            {
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        switch (firstError)
        {
            case null when _map.IsComplete:
                return TransferOutcome.Completed;
            case null:
                throw new DownloadException(DownloadErrorKind.Unknown, $"{_requestUri}: the transfer stopped before the file was complete.");
            case DownloadException { Kind: DownloadErrorKind.RangeNotHonoured }:
                return TransferOutcome.RangeNotHonoured;
            case DownloadException { Kind: DownloadErrorKind.RemoteChanged }:
                return TransferOutcome.RemoteChanged;
            default:
                throw firstError;
        }
    }

    public void Checkpoint()
    {
        if (_statePath == null)
        {
            return;
        }

        lock (_checkpointGate)
        {
            RangeSet done = _map.Completed();
            _sink.FlushToDisk();
            try
            {
                Checkpointed = true;
                ResumeStateFile.Save(_statePath, new ResumeState
                {
                    Url = _requestUri,
                    Length = _context.Length,
                    ETag = _context.ETag,
                    LastModified = _context.LastModified,
                    Completed = done,
                    UserAgent = _context.Options.UserAgent,
                    Headers = _context.Options.Headers,
                });
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                throw new DownloadException(DownloadErrorKind.Storage, $"Cannot write the state file '{_statePath}': {e.Message}", e);
            }
        }
    }

    private async Task<List<Task>> StartConnectionsAsync(ProbeHandover handover, Run run)
    {
        // More connections than minimum-size pieces would only sit idle.
        long useful = Math.Max(1, (_map.Length - _map.CompletedBytes) / _map.MinSplitSize);
        // Up to the most a file may be given while it runs: those the limits do not allow yet wait (LiveLimits).
        int connections = (int)Math.Min(_context.Limits.Ceiling, useful);
        var workers = new List<Task>();
        for (int i = 0; i < connections; i++)
        {
            // A connection holding the probe's body starts alone until it has its first segment, so it checks out the
            // segment that body belongs to before anyone else can; the others start at once.
            var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var connection = new Connection(i, i == 0 ? handover : null);
            bool holdsBody = connection.HoldsBody;
            workers.Add(WorkerAsync(connection, run, ready));
            if (holdsBody)
            {
                await ready.Task.ConfigureAwait(false);
            }
        }

        return workers;
    }

    private async Task WorkerAsync(Connection connection, Run run, TaskCompletionSource<bool> ready)
    {
        await Task.Yield();
        bool counted = false;
        using (connection)
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(run.Token, run.Complete.Token))
        {
            try
            {
                var fetcher = new RangeFetcher(_context, _map, _sink, connection);
                while (!run.Token.IsCancellationRequested && !_map.IsComplete)
                {
                    if (await connection.WaitWhileShedAsync(_context.Limits, waiting.Token).ConfigureAwait(false))
                    {
                        continue;
                    }

                    // Each connection borrows from the budget while it works, on the host of the source it fetches
                    // from, so each mirror's per-host limit holds.
                    await connection.UseAsync(_sources.For(connection.Lane), _budget, ready, waiting.Token).ConfigureAwait(false);

                    Segment? segment = connection.CheckOut(_map, run.Selector);
                    ready.TrySetResult(true);
                    if (segment == null)
                    {
                        // Stay around while others work, since a lagging connection's tail may become worth taking,
                        // but without holding a lease another file could use.
                        connection.ReturnLease();
                        _sources.DropMuchSlower();
                        await Task.Delay(IdlePoll, waiting.Token).ConfigureAwait(false);
                        continue;
                    }

                    if (!counted)
                    {
                        counted = true;
                        Interlocked.Increment(ref _connectionsUsed);
                    }

                    await FetchAsync(fetcher, connection.Source!, segment, run.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (waiting.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                run.Fail(e);
            }
            finally
            {
                ready.TrySetResult(true);
                if (_map.IsComplete)
                {
                    run.Complete.Cancel();
                }
            }
        }
    }

    private async Task FetchAsync(RangeFetcher fetcher, Source source, Segment segment, CancellationToken cancellationToken)
    {
        try
        {
            _sources.Begin(source, segment);
            await fetcher.FetchAsync(segment, cancellationToken).ConfigureAwait(false);
        }
        catch (DownloadException e) when (!cancellationToken.IsCancellationRequested && _sources.TryDrop(source, e))
        {
            // This source is out; its unfinished bytes go back to the map for the connections on the others.
        }
        finally
        {
            _sources.End(source, segment);
            _sources.DropMuchSlower();
            Connection.Return(_map, segment);
        }
    }

    private async Task CheckpointLoopAsync(Action<Exception> fail, CancellationToken cancellationToken)
    {
        if (_statePath == null)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(_context.Options.CheckpointInterval, cancellationToken).ConfigureAwait(false);
                // On a pool thread: one in flight per download, flushing one interval's bytes (ARCHITECTURE.md,
                // Concurrency); a finished file's long flush goes to the FileFlusher instead.
                await Task.Run(Checkpoint, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            fail(e);
        }
    }

    /// <summary>What every connection of one run shares: the piece order, the failure to report, and when to stop.</summary>
    private sealed record Run(IPieceSelector Selector, Action<Exception> Fail, CancellationToken Token, CancellationTokenSource Complete);
}
