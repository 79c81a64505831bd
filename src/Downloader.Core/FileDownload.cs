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
    private readonly CancellationTokenSource _cancel;
    private readonly PauseGate _pause = new();
    private readonly ThroughputMeter _meter = new();
    private int _retries;
    private int _state;
    private SegmentMap? _map;
    private long _singlePosition;
    private long _total = -1;
    private string? _path;
    private bool _deletePartialOnCancel;
    private ProbeResult? _probe;

    internal FileDownload(DownloadClient client, DownloadRequest request, CancellationToken cancellationToken)
    {
        _client = client;
        Request = request;
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
            SetState(DownloadState.Completed);
            return result;
        }
        catch (Exception) when (_cancel.IsCancellationRequested)
        {
            if (_deletePartialOnCancel && _path != null)
            {
                DiscardPartial(_path);
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
    }

    private async Task<DownloadResult> DownloadWithRestartsAsync(DateTimeOffset start)
    {
        if (Request.Uri.Scheme != Uri.UriSchemeHttp && Request.Uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{Request.Uri}: unsupported scheme '{Request.Uri.Scheme}'; only http and https are downloaded.");
        }

        var sender = new RequestSender(_client.HttpClient, Options, Request.Uri);
        var retry = RetryPipelineFactory.Create(Options, () => Interlocked.Increment(ref _retries));
        var context = new TransferContext(sender, Options, retry, _meter);
        var prober = new Prober(sender);
        bool forceSingle = false;
        for (int attempt = 0; ; attempt++)
        {
            ProbeResult probe = await PausableAsync(
                DownloadState.Probing,
                ct => retry.ExecuteAsync(c => new ValueTask<ProbeResult>(ProbeAsync(prober, c)), ct).AsTask()).ConfigureAwait(false);
            using (probe)
            {
                _probe = probe;
                context.Uri = probe.FinalUri;
                context.Length = probe.Length;
                context.ETag = probe.ETag;
                context.LastModified = probe.LastModified;
                context.IfRange = probe.IfRangeValidator;
                string path = ResolvePath(probe);
                Volatile.Write(ref _path, path);
                if (File.Exists(path) && !Options.Overwrite)
                {
                    throw new DownloadException(DownloadErrorKind.FileExists, $"{Request.Uri}: '{path}' already exists; use -Force/--force to overwrite it.");
                }

                CreateDirectory(path);
                try
                {
                    return probe.CanSplit && !forceSingle
                        ? await RunRangedAsync(context, probe, path, start).ConfigureAwait(false)
                        : await RunSingleAsync(context, probe, path, start, reuseProbe: !forceSingle).ConfigureAwait(false);
                }
                catch (DownloadException e) when (e.Kind == DownloadErrorKind.RemoteChanged && attempt < MaxRestarts)
                {
                    DiscardPartial(path);
                }
                catch (DownloadException e) when (e.Kind == DownloadErrorKind.RangeNotHonoured && !forceSingle)
                {
                    DiscardPartial(path);
                    forceSingle = true;
                }
            }
        }
    }

    private Task<ProbeResult> ProbeAsync(Prober prober, CancellationToken cancellationToken) =>
        HttpFailures.AttemptAsync(Request.Uri, () => prober.ProbeAsync(Request.Uri, cancellationToken), cancellationToken);

    private async Task<DownloadResult> RunRangedAsync(TransferContext context, ProbeResult probe, string path, DateTimeOffset start)
    {
        string partPath = path + PartFile.Extension;
        string statePath = path + ResumeStateFile.Extension;
        ResumeState? saved = ResumeStateFile.TryLoad(statePath);
        var done = new RangeSet();
        PartFile part;
        if (saved != null && saved.Matches(Request.Uri, probe.Length, probe.ETag, probe.LastModified) &&
            File.Exists(partPath) && new FileInfo(partPath).Length == probe.Length)
        {
            part = PartFile.Open(partPath);
            done = saved.Completed;
        }
        else
        {
            DiscardPartial(path);
            part = PartFile.Create(partPath, probe.Length);
        }

        bool resumed = done.TotalLength > 0;
        RangedTransfer transfer;
        using (part)
        {
            var map = SegmentMap.FromDone(probe.Length, done, Options.MaxConnectionsPerFile, Options.MinSplitSize);
            Interlocked.Exchange(ref _total, probe.Length);
            Volatile.Write(ref _map, map);
            transfer = new RangedTransfer(context, map, part, statePath, Request.Uri);

            // The state file exists before the first byte is written, so a part file is never trusted without one.
            transfer.Checkpoint();
            HttpResponseMessage? initial = done.ContiguousFrom(0) == 0 ? probe.TakeResponse() : null;
            await PausableAsync(
                DownloadState.Downloading,
                async ct =>
                {
                    HttpResponseMessage? response = initial;
                    initial = null;
                    await transfer.RunAsync(response, ct).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
            if (!map.IsComplete)
            {
                throw new DownloadException(DownloadErrorKind.Unknown, $"{Request.Uri}: the transfer stopped before the file was complete.");
            }

            part.FlushToDisk();
        }

        SetState(DownloadState.Verifying);
        string? sha256 = VerifyHash(partPath, path, computed: null);
        FileMover.Publish(partPath, path, Options.Overwrite);
        ResumeStateFile.Delete(statePath);
        return Success(start, probe, path, probe.Length, sha256, transfer.ConnectionsUsed, resumed);
    }

    private async Task<DownloadResult> RunSingleAsync(TransferContext context, ProbeResult probe, string path, DateTimeOffset start, bool reuseProbe)
    {
        string partPath = path + PartFile.Extension;
        ResumeStateFile.Delete(path + ResumeStateFile.Extension);
        Interlocked.Exchange(ref _total, probe.IsIdentityEncoded ? probe.Length : -1);
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
            using (FileStream stream = OpenSingleStreamFile(partPath))
            {
                (bytes, sha256) = await PausableAsync(
                    DownloadState.Downloading,
                    ct =>
                    {
                        HttpResponseMessage? response = initial;
                        initial = null;
                        return fetcher.FetchAsync(stream, Rewind, response, ct);
                    }).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception)
        {
            // Without ranges nothing can be resumed, so a partial file is only clutter.
            if (!_cancel.IsCancellationRequested || _deletePartialOnCancel)
            {
                TryDelete(partPath);
            }

            throw;
        }

        Interlocked.Exchange(ref _total, bytes);
        SetState(DownloadState.Verifying);
        VerifyHash(partPath, path, sha256);
        FileMover.Publish(partPath, path, Options.Overwrite);
        return Success(start, probe, path, bytes, sha256, 1, resumed: false);
    }

    private bool Rewind(Stream stream)
    {
        stream.SetLength(0);
        stream.Position = 0;
        Interlocked.Exchange(ref _singlePosition, 0);
        return true;
    }

    private static FileStream OpenSingleStreamFile(string partPath)
    {
        try
        {
            return new FileStream(partPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot write '{partPath}': {e.Message}", e);
        }
    }

    /// <summary>Runs a step that a pause interrupts; after a resume the step runs again from the saved state.</summary>
    private async Task<T> PausableAsync<T>(DownloadState busy, Func<CancellationToken, Task<T>> step)
    {
        while (true)
        {
            await _pause.WaitWhilePausedAsync(_cancel.Token).ConfigureAwait(false);
            SetState(busy);
            using CancellationTokenSource session = _pause.BeginSession(_cancel.Token);
            try
            {
                return await step(session.Token).ConfigureAwait(false);
            }
            catch (Exception) when (session.IsCancellationRequested && !_cancel.IsCancellationRequested)
            {
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
            DiscardPartial(path);
            throw new DownloadException(
                DownloadErrorKind.ChecksumMismatch,
                $"{Request.Uri}: SHA-256 is {actual}, expected {Request.ExpectedSha256.Trim().ToLowerInvariant()}; the data was discarded.");
        }

        return actual;
    }

    private string ResolvePath(ProbeResult probe)
    {
        if (Request.OutputPath != null)
        {
            return System.IO.Path.GetFullPath(Request.OutputPath);
        }

        string? given = Request.FileName ?? probe.DispositionName;
        string name = given != null ? FileNameSanitizer.Sanitize(given) : FileNameSanitizer.FromUri(probe.FinalUri);
        return SafePath.Combine(Request.Directory, name);
    }

    private static void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadException(DownloadErrorKind.Storage, $"Cannot create the folder for '{path}': {e.Message}", e);
        }
    }

    private static void DiscardPartial(string path)
    {
        TryDelete(path + PartFile.Extension);
        TryDelete(path + ResumeStateFile.Extension);
        TryDelete(path + ResumeStateFile.Extension + ".tmp");
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private void SetState(DownloadState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) != (int)state)
        {
            StateChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    private DownloadResult Success(DateTimeOffset start, ProbeResult probe, string path, long bytes, string? sha256, int connections, bool resumed) => new()
    {
        Url = Request.Uri,
        FinalUrl = probe.FinalUri,
        Path = path,
        FileName = System.IO.Path.GetFileName(path),
        Bytes = bytes,
        ContentType = probe.ContentType,
        ETag = probe.ETag,
        LastModified = probe.LastModified,
        Sha256 = sha256,
        StartTime = start,
        EndTime = DateTimeOffset.UtcNow,
        Connections = connections,
        Retries = Volatile.Read(ref _retries),
        Resumed = resumed,
        Status = DownloadStatus.Completed,
        HttpStatus = probe.StatusCode,
        Headers = probe.Headers,
    };

    private DownloadResult Failure(DateTimeOffset start, DownloadException error, DownloadStatus status)
    {
        ProbeResult? probe = _probe;
        return new DownloadResult
        {
            Url = Request.Uri,
            FinalUrl = probe?.FinalUri,
            FileName = _path == null ? null : System.IO.Path.GetFileName(_path),
            Bytes = GetProgress().BytesReceived,
            ContentType = probe?.ContentType,
            ETag = probe?.ETag,
            LastModified = probe?.LastModified,
            StartTime = start,
            EndTime = DateTimeOffset.UtcNow,
            Retries = Volatile.Read(ref _retries),
            Status = status,
            Error = error.Message,
            ErrorKind = error.Kind,
            HttpStatus = error.StatusCode,
            Headers = probe?.Headers ?? new System.Collections.Generic.Dictionary<string, string>(),
        };
    }
}
