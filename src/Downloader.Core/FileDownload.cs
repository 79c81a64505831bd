using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Naming;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Resume;
using Downloader.Core.Results;
using Downloader.Core.Storage;
using Downloader.Core.Transfer;

namespace Downloader.Core;

/// <summary>
/// One running download: probe, plan, fetch, verify, publish. It can be paused, resumed and cancelled from any
/// thread, and its progress read from any thread. <see cref="Completion"/> never faults: failures come back as a
/// result with <see cref="DownloadStatus.Failed"/>, so one bad item never takes a batch down.
/// </summary>
public sealed class FileDownload
{
    private const int MaxRestarts = 3;
    private readonly DownloadClient _client;
    private readonly DestinationPicker _destination;
    private readonly CancellationTokenSource _cancel;
    private readonly PauseGate _pause = new();
    private readonly ThroughputMeter _meter = new();
    private readonly RetryPipelineFactory.StrongBox _retries = new();
    private int _state;
    private SegmentMap? _map;
    private long _singlePosition;
    private long _total = -1;
    private string? _path;
    private bool _deletePartialOnCancel;
    private ProbeResult? _probe;
    private IDisposable? _lease;

    internal FileDownload(DownloadClient client, DownloadRequest request, CancellationToken cancellationToken)
    {
        _client = client;
        Request = request;
        _destination = new DestinationPicker(client.Names, request, client.Options.ExistingFile);
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Completion = Task.Run(RunAsync);
    }

    public event EventHandler? StateChanged;

    public DownloadRequest Request { get; }

    public Task<DownloadResult> Completion { get; }

    public DownloadState State => (DownloadState)Volatile.Read(ref _state);

    /// <summary>The final path, once the name is known.</summary>
    public string? Path => Volatile.Read(ref _path);

    private DownloadOptions Options => _client.Options;

    /// <summary>Stops all transfer within moments; bytes on disk are kept and recorded.</summary>
    public void Pause() => _pause.Pause();

    /// <summary>Continues from the bytes on disk, after a pause of any length.</summary>
    public void Resume() => _pause.Resume();

    /// <summary>Cancels; the part and state files stay for a later resume unless <paramref name="deletePartial"/>.</summary>
    public void Cancel(bool deletePartial = false)
    {
        _deletePartialOnCancel = deletePartial;
        _cancel.Cancel();
    }

    /// <summary>The segmentation state once the transfer has started; null before and for single-stream downloads.</summary>
    internal SegmentMap? Map => Volatile.Read(ref _map);

    /// <summary>What the probe learned, once it has run.</summary>
    public string? ContentType => _probe?.ContentType;

    /// <summary>The remote size once known, else -1.</summary>
    public long TotalBytes => Interlocked.Read(ref _total);

    public DownloadProgress GetProgress()
    {
        SegmentMap? map = Volatile.Read(ref _map);
        return new DownloadProgress
        {
            State = State,
            TotalBytes = Interlocked.Read(ref _total),
            BytesReceived = map?.CompletedBytes ?? Interlocked.Read(ref _singlePosition),
            BytesPerSecond = _meter.BytesPerSecond,
            FileName = Path == null ? null : System.IO.Path.GetFileName(Path),
            Connections = map?.Snapshot()
                .Where(s => s.IsOwned)
                .Select(s => new ConnectionProgress(s.Id, s.Start, s.Position, s.End, s.BytesPerSecond))
                .ToList() ?? (System.Collections.Generic.IReadOnlyList<ConnectionProgress>)Array.Empty<ConnectionProgress>(),
        };
    }

    private async Task<DownloadResult> RunAsync()
    {
        DateTimeOffset start = DateTimeOffset.UtcNow;
        try
        {
            DownloadResult result = await DownloadWithRestartsAsync(start).ConfigureAwait(false);
            _destination.Settle();
            SetState(DownloadState.Completed);
            return result;
        }
        catch (Exception) when (ReleaseAfterFailure())
        {
            throw;
        }
        catch (Exception) when (_cancel.IsCancellationRequested)
        {
            if (_deletePartialOnCancel && _path != null)
            {
                DownloadFiles.DiscardPartial(_path);
            }

            SetState(DownloadState.Cancelled);
            var cancelled = new DownloadException(DownloadErrorKind.Cancelled, $"{Request.Uri}: cancelled.");
            return Failure(start, cancelled, DownloadStatus.Cancelled);
        }
        catch (DownloadException e)
        {
            SetState(DownloadState.Failed);
            return Failure(start, e, DownloadStatus.Failed);
        }
        catch (Exception e)
        {
            SetState(DownloadState.Failed);
            return Failure(start, new DownloadException(DownloadErrorKind.Unknown, $"{Request.Uri}: {e.Message}", e), DownloadStatus.Failed);
        }
        finally
        {
            ReleaseConnection();
        }
    }

    /// <summary>The network part is over: flushing, hashing and renaming need no connection from the budget.</summary>
    private void ReleaseConnection() => Interlocked.Exchange(ref _lease, null)?.Dispose();

    // An exception filter that never catches: it frees the name of a failed item for whoever comes next.
    private bool ReleaseAfterFailure()
    {
        _destination.Release();
        return false;
    }

    private async Task<DownloadResult> DownloadWithRestartsAsync(DateTimeOffset start)
    {
        if (Request.Uri.Scheme != Uri.UriSchemeHttp && Request.Uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{Request.Uri}: unsupported scheme '{Request.Uri.Scheme}'; only http and https are downloaded.");
        }

        var sender = new RequestSender(_client.Lanes, Options, Request.Uri);
        var context = new TransferContext(sender, Options, _client.Retry, _retries, _meter) { Stopping = _cancel.Token };
        var prober = new Prober(sender, Options.MinSplitSize);
        bool forceSingle = false;

        // A local copy under the URL's name is checked with a conditional request: 304 means it is current.
        string? localCopy = Request.InMemory || Options.ExistingFile != ExistingFilePolicy.SkipOrRename ? null : _destination.ExpectedPathBeforeProbe();
        DateTimeOffset? ifModifiedSince = localCopy != null && File.Exists(localCopy) ? File.GetLastWriteTimeUtc(localCopy) : null;
        for (int attempt = 0; ; attempt++)
        {
            DateTimeOffset? condition = ifModifiedSince;
            ProbeResult probe = await PausableAsync(
                DownloadState.Probing,
                ct => context.RetryAsync(c => ProbeAsync(prober, condition, c), ct)).ConfigureAwait(false);
            using (probe)
            {
                if (probe.NotModified)
                {
                    if (_destination.Reserve(localCopy!))
                    {
                        return Skipped(start, probe, localCopy!);
                    }

                    // Another item of this batch owns that name, so this one needs its own copy.
                    ifModifiedSince = null;
                    continue;
                }

                _probe = probe;
                context.Uri = probe.FinalUri;
                context.Length = probe.Length;
                context.ETag = probe.ETag;
                context.LastModified = probe.LastModified;
                context.IfRange = probe.IfRangeValidator;
                context.ContentEncoding = probe.ContentEncoding;
                context.UseLanes = probe.HttpVersion.Major >= 2;
                if (!ContentTypeFilter.Accepts(Options.AcceptContentTypes, probe.ContentType))
                {
                    throw new DownloadException(
                        DownloadErrorKind.ContentTypeRejected,
                        $"{Request.Uri}: content type '{probe.ContentType ?? "none"}' is not accepted (accepted: {string.Join(", ", Options.AcceptContentTypes)}).");
                }

                if (Request.InMemory)
                {
                    return await RunInMemoryAsync(context, probe, start, forceSingle).ConfigureAwait(false);
                }

                (string path, bool unchanged, ResumeState? saved) = _destination.Resolve(probe);
                Volatile.Write(ref _path, path);
                if (unchanged)
                {
                    return Skipped(start, probe, path);
                }

                CreateDirectory(path);
                try
                {
                    return probe.CanSplit && !forceSingle
                        ? await RunRangedAsync(context, probe, path, saved, start).ConfigureAwait(false)
                        : await RunSingleAsync(context, probe, path, start, reuseProbe: !forceSingle).ConfigureAwait(false);
                }
                catch (DownloadException e) when (e.Kind == DownloadErrorKind.RemoteChanged && attempt < MaxRestarts)
                {
                    DownloadFiles.DiscardPartial(path);
                }
                catch (DownloadException e) when (e.Kind == DownloadErrorKind.RangeNotHonoured && !forceSingle)
                {
                    DownloadFiles.DiscardPartial(path);
                    forceSingle = true;
                }
            }
        }
    }

    private Task<ProbeResult> ProbeAsync(Prober prober, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken) =>
        HttpFailures.AttemptAsync(Request.Uri, () => prober.ProbeAsync(Request.Uri, ifModifiedSince, cancellationToken), cancellationToken);

    /// <param name="saved">The state file found beside the destination, if any.</param>
    private async Task<DownloadResult> RunRangedAsync(TransferContext context, ProbeResult probe, string path, ResumeState? saved, DateTimeOffset start)
    {
        string partPath = path + PartFile.Extension;
        string statePath = path + ResumeStateFile.Extension;
        var done = new RangeSet();
        PartFile part;
        if (saved != null && saved.Matches(UserInfo.Redacted(Request.Uri), probe.Length, probe.ETag, probe.LastModified) &&
            DownloadFiles.PartHolds(partPath, saved.Completed, probe.Length))
        {
            part = PartFile.Open(partPath);
            done = saved.Completed;
        }
        else
        {
            if (saved != null || File.Exists(partPath))
            {
                DownloadFiles.DiscardPartial(path);
            }

            bool split = probe.Length >= 2 * Options.MinSplitSize && Options.MaxConnectionsPerFile > 1;
            part = PartFile.Create(partPath, probe.Length, preallocate: split);
        }

        bool resumed = done.TotalLength > 0;
        RangedTransfer transfer;
        using (part)
        {
            var map = SegmentMap.FromDone(probe.Length, done, Options.SplitOnStart ? Options.MaxConnectionsPerFile : 1, Options.MinSplitSize);
            transfer = new RangedTransfer(context, map, part, statePath, Request.Uri, _client.Budget);
            await TransferAsync(transfer, map, probe, done.ContiguousFrom(0) == 0 ? probe.TakeResponse() : null).ConfigureAwait(false);
            if (!map.IsComplete)
            {
                throw new DownloadException(DownloadErrorKind.Unknown, $"{Request.Uri}: the transfer stopped before the file was complete.");
            }

            DownloadFiles.Stamp(partPath, probe);
            await _client.Flusher.FlushAsync(part).ConfigureAwait(false);
        }

        SetState(DownloadState.Verifying);
        string? sha256 = VerifyHash(partPath, path, computed: null);
        FileMover.Publish(partPath, path, Options.ExistingFile == ExistingFilePolicy.Overwrite);
        if (transfer.Checkpointed || saved != null)
        {
            ResumeStateFile.Delete(statePath);
        }
        return Success(start, probe, path, probe.Length, sha256, transfer.ConnectionsUsed, resumed);
    }

    private async Task<DownloadResult> RunSingleAsync(TransferContext context, ProbeResult probe, string path, DateTimeOffset start, bool reuseProbe)
    {
        string partPath = path + PartFile.Extension;
        ResumeStateFile.Delete(path + ResumeStateFile.Extension);
        Interlocked.Exchange(ref _total, probe.Length);
        HttpResponseMessage? initial = reuseProbe ? probe.TakeResponse() : null;
        var fetcher = new SingleStreamFetcher(context, position =>
        {
            Interlocked.Exchange(ref _singlePosition, position);
            return true;
        });
        long bytes;
        string sha256;
        try
        {
            using (FileStream stream = DownloadFiles.OpenSingleStreamFile(partPath))
            {
                (bytes, sha256) = await PausableAsync(
                    DownloadState.Downloading,
                    ct =>
                    {
                        HttpResponseMessage? response = initial;
                        initial = null;
                        return fetcher.FetchAsync(stream, Rewind, response, ct);
                    }).ConfigureAwait(false);
                ReleaseConnection();
                stream.Flush(flushToDisk: false);
                DownloadFiles.Stamp(partPath, probe);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception)
        {
            // Without ranges nothing can be resumed, so a partial file is only clutter.
            if (!_cancel.IsCancellationRequested || _deletePartialOnCancel)
            {
                DownloadFiles.TryDelete(partPath);
            }

            throw;
        }

        Interlocked.Exchange(ref _total, bytes);
        SetState(DownloadState.Verifying);
        VerifyHash(partPath, path, sha256);
        FileMover.Publish(partPath, path, Options.ExistingFile == ExistingFilePolicy.Overwrite);
        return Success(start, probe, path, bytes, sha256, 1, resumed: false);
    }

    private async Task<DownloadResult> RunInMemoryAsync(TransferContext context, ProbeResult probe, DateTimeOffset start, bool forceSingle)
    {
        string name = _destination.ChooseName(probe);
        if (probe.Length > Options.MaxInMemorySize)
        {
            throw TooLarge(probe.Length);
        }

        byte[] content;
        int connections = 1;
        if (probe.CanSplit && !forceSingle)
        {
            var sink = new MemorySink(probe.Length);
            var map = SegmentMap.Fresh(probe.Length, Options.MaxConnectionsPerFile, Options.MinSplitSize);
            var transfer = new RangedTransfer(context, map, sink, statePath: null, Request.Uri, _client.Budget);
            try
            {
                await TransferAsync(transfer, map, probe, probe.TakeResponse()).ConfigureAwait(false);
            }
            catch (DownloadException e) when (e.Kind == DownloadErrorKind.RangeNotHonoured)
            {
                return await RunInMemoryAsync(context, probe, start, forceSingle: true).ConfigureAwait(false);
            }

            content = sink.Buffer;
            connections = transfer.ConnectionsUsed;
        }
        else
        {
            Interlocked.Exchange(ref _total, probe.Length);
            HttpResponseMessage? initial = forceSingle ? null : probe.TakeResponse();
            var fetcher = new SingleStreamFetcher(context, position =>
            {
                Interlocked.Exchange(ref _singlePosition, position);
                return position <= Options.MaxInMemorySize;
            });
            using var buffer = new MemoryStream(probe.Length > 0 ? (int)probe.Length : 0);
            try
            {
                await PausableAsync(
                    DownloadState.Downloading,
                    ct =>
                    {
                        HttpResponseMessage? response = initial;
                        initial = null;
                        return fetcher.FetchAsync(buffer, Rewind, response, ct);
                    }).ConfigureAwait(false);
            }
            catch (DownloadException e) when (e.Kind == DownloadErrorKind.TooLarge)
            {
                throw TooLarge(-1);
            }

            ReleaseConnection();
            content = buffer.ToArray();
        }

        SetState(DownloadState.Verifying);
        string sha256 = FileHasher.Sha256(content);
        if (Request.ExpectedSha256 != null && !FileHasher.SameHash(Request.ExpectedSha256, sha256))
        {
            throw new DownloadException(DownloadErrorKind.ChecksumMismatch, $"{Request.Uri}: SHA-256 is {sha256}, expected {Request.ExpectedSha256.Trim().ToLowerInvariant()}.");
        }

        DownloadResult result = Success(start, probe, null, content.LongLength, sha256, connections, resumed: false);
        return result with { FileName = name, Content = content };
    }

    /// <summary>Runs a split transfer to the end, across pauses, then gives the connection back to the budget.</summary>
    private async Task TransferAsync(RangedTransfer transfer, SegmentMap map, ProbeResult probe, HttpResponseMessage? initial)
    {
        Interlocked.Exchange(ref _total, probe.Length);
        Volatile.Write(ref _map, map);
        await PausableAsync(
            DownloadState.Downloading,
            async ct =>
            {
                HttpResponseMessage? response = initial;
                initial = null;
                await transfer.RunAsync(response, probe.ResponseEnd, ct).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);
        ReleaseConnection();
    }

    private DownloadException TooLarge(long length) => new(
        DownloadErrorKind.TooLarge,
        length >= 0
            ? $"{Request.Uri}: {length} bytes is more than the in-memory limit of {Options.MaxInMemorySize} bytes."
            : $"{Request.Uri}: the content is more than the in-memory limit of {Options.MaxInMemorySize} bytes.");

    private bool Rewind(Stream stream)
    {
        stream.SetLength(0);
        stream.Position = 0;
        Interlocked.Exchange(ref _singlePosition, 0);
        return true;
    }

    /// <summary>Runs a step that a pause interrupts; after a resume the step runs again from the saved state.</summary>
    private async Task<T> PausableAsync<T>(DownloadState busy, Func<CancellationToken, Task<T>> step)
    {
        while (true)
        {
            await _pause.WaitWhilePausedAsync(_cancel.Token).ConfigureAwait(false);
            if (_client.Budget != null && Volatile.Read(ref _lease) == null)
            {
                Volatile.Write(ref _lease, await _client.Budget.AcquireAsync(Request.Uri.Host, _cancel.Token).ConfigureAwait(false));
            }

            SetState(busy);
            using CancellationTokenSource session = _pause.BeginSession(_cancel.Token);
            try
            {
                return await step(session.Token).ConfigureAwait(false);
            }
            catch (Exception) when (session.IsCancellationRequested && !_cancel.IsCancellationRequested)
            {
                // A paused download gives its connection back to the budget.
                ReleaseConnection();
                SetState(DownloadState.Paused);
            }
        }
    }

    private string? VerifyHash(string partPath, string path, string? computed)
    {
        if (Request.ExpectedSha256 == null && !Options.ComputeSha256)
        {
            return computed;
        }

        string actual = computed ?? FileHasher.Sha256OfFile(partPath);
        if (Request.ExpectedSha256 != null && !FileHasher.SameHash(Request.ExpectedSha256, actual))
        {
            DownloadFiles.DiscardPartial(path);
            throw new DownloadException(
                DownloadErrorKind.ChecksumMismatch,
                $"{Request.Uri}: SHA-256 is {actual}, expected {Request.ExpectedSha256.Trim().ToLowerInvariant()}; the data was discarded.");
        }

        return actual;
    }

    private void CreateDirectory(string path)
    {
        string directory = System.IO.Path.GetDirectoryName(path)!;
        if (_client.KnownDirectories.ContainsKey(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
            _client.KnownDirectories.TryAdd(directory, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot create the folder for '{path}': {e.Message}", e);
        }
    }

    private void SetState(DownloadState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            StateChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>
    /// What every result of this download says, whatever its outcome: the request and what the probe learned. URLs
    /// are shown with their password redacted: results reach output, logs, JSON and error records.
    /// </summary>
    private DownloadResult Describe(DateTimeOffset start, ProbeResult? probe) => new()
    {
        Url = UserInfo.Redacted(Request.Uri),
        Input = UserInfo.Redact(Request.Uri.OriginalString),
        FinalUrl = probe == null ? null : UserInfo.Redacted(probe.FinalUri),
        ContentType = probe?.ContentType,
        ETag = probe?.ETag,
        LastModified = probe?.LastModified,
        StartTime = start,
        EndTime = DateTimeOffset.UtcNow,
        Retries = Volatile.Read(ref _retries.Value),
        HttpStatus = probe?.StatusCode,
        HttpVersion = probe == null ? null : probe.HttpVersion.Major >= 2 ? "HTTP/" + probe.HttpVersion.Major : "HTTP/" + probe.HttpVersion.ToString(2),
        Headers = probe?.Headers ?? new System.Collections.Generic.Dictionary<string, string>(),
    };

    private DownloadResult Success(DateTimeOffset start, ProbeResult probe, string? path, long bytes, string? sha256, int connections, bool resumed) =>
        Describe(start, probe) with
        {
            Path = path,
            FileName = path == null ? null : System.IO.Path.GetFileName(path),
            Bytes = bytes,
            Sha256 = sha256,
            Connections = connections,
            Resumed = resumed,
            Status = DownloadStatus.Completed,
        };

    private DownloadResult Skipped(DateTimeOffset start, ProbeResult probe, string path)
    {
        SetState(DownloadState.Completed);
        Volatile.Write(ref _path, path);
        return Describe(start, probe) with
        {
            Path = path,
            FileName = System.IO.Path.GetFileName(path),
            Bytes = new FileInfo(path).Length,
            LastModified = probe.LastModified ?? File.GetLastWriteTimeUtc(path),
            Status = DownloadStatus.Skipped,
        };
    }

    private DownloadResult Failure(DateTimeOffset start, DownloadException error, DownloadStatus status) =>
        Describe(start, _probe) with
        {
            FileName = _path == null ? null : System.IO.Path.GetFileName(_path),
            Bytes = GetProgress().BytesReceived,
            Status = status,
            Error = UserInfo.Redact(error.Message),
            ErrorKind = error.Kind,
            HttpStatus = error.StatusCode,
        };
}
