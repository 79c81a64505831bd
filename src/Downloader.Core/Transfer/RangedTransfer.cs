using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Planning;
using Downloader.Core.Resume;
using Downloader.Core.Storage;

namespace Downloader.Core.Transfer;

/// <summary>
/// Runs the connections of one split download for one session (until done, paused, cancelled or failed) and keeps
/// the state file current: each checkpoint snapshots the written ranges, flushes the part file to disk, and only then
/// records that snapshot.
/// </summary>
internal sealed class RangedTransfer
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);
    private readonly TransferContext _context;
    private readonly SegmentMap _map;
    private readonly PartFile _part;
    private readonly string _statePath;
    private readonly Uri _requestUri;
    private readonly object _checkpointGate = new();
    private int _connectionsUsed;

    public RangedTransfer(TransferContext context, SegmentMap map, PartFile part, string statePath, Uri requestUri)
    {
        _context = context;
        _map = map;
        _part = part;
        _statePath = statePath;
        _requestUri = requestUri;
    }

    public int ConnectionsUsed => Volatile.Read(ref _connectionsUsed);

    public async Task RunAsync(HttpResponseMessage? initial, CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? firstError = null;
        void Fail(Exception e)
        {
            Interlocked.CompareExchange(ref firstError, e, null);
            session.Cancel();
        }

        Task checkpoints = CheckpointLoopAsync(Fail, session.Token);
        var workers = new List<Task>();
        IPieceSelector selector = _context.Options.PieceSelectorFactory();
        int connections = Math.Max(1, _context.Options.MaxConnectionsPerFile);
        for (int i = 0; i < connections; i++)
        {
            workers.Add(WorkerAsync(selector, i == 0 ? initial : null, Fail, session.Token));
        }

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

        // The last checkpoint runs after every writer stopped, so it records everything they wrote.
        try
        {
            Checkpoint();
        }
        catch (DownloadException) when (firstError != null)
        {
        }

        if (firstError != null && !cancellationToken.IsCancellationRequested)
        {
            throw firstError;
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    public void Checkpoint()
    {
        lock (_checkpointGate)
        {
            RangeSet done = _map.Completed();
            _part.FlushToDisk();
            try
            {
                ResumeStateFile.Save(_statePath, new ResumeState
                {
                    Url = _requestUri,
                    Length = _context.Length,
                    ETag = _context.ETag,
                    LastModified = _context.LastModified,
                    Completed = done,
                });
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                throw new DownloadException(DownloadErrorKind.Storage, $"Cannot write the state file '{_statePath}': {e.Message}", e);
            }
        }
    }

    private async Task WorkerAsync(IPieceSelector selector, HttpResponseMessage? initial, Action<Exception> fail, CancellationToken cancellationToken)
    {
        await Task.Yield();
        HttpResponseMessage? first = initial;
        bool counted = false;
        try
        {
            var fetcher = new RangeFetcher(_context, _map, _part);
            while (!cancellationToken.IsCancellationRequested)
            {
                Segment? segment = first != null ? _map.AcquireAt(0) : null;
                if (segment == null)
                {
                    first?.Dispose();
                    first = null;
                    segment = _map.Acquire(selector);
                }

                if (segment == null)
                {
                    // Stay around while others work: a lagging connection's tail may become worth taking.
                    if (_map.IsComplete)
                    {
                        return;
                    }

                    await Task.Delay(IdlePoll, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!counted)
                {
                    counted = true;
                    Interlocked.Increment(ref _connectionsUsed);
                }

                try
                {
                    HttpResponseMessage? response = first;
                    first = null;
                    await fetcher.FetchAsync(segment, response, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    _map.Release(segment);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            fail(e);
        }
        finally
        {
            first?.Dispose();
        }
    }

    private async Task CheckpointLoopAsync(Action<Exception> fail, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_context.Options.CheckpointInterval, cancellationToken).ConfigureAwait(false);
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
}
