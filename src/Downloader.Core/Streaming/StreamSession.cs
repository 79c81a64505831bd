using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Results;

namespace Downloader.Core.Streaming;

/// <summary>
/// Watch while downloading: one download that fetches in play order and a local server that hands the bytes to a
/// player as they arrive. The download is an ordinary resumable one (part file and state file), so stopping keeps
/// or discards it like any other. Its life is an explicit state machine (<see cref="StreamState"/>), which the stream
/// job and the CLI map one way, as the download job maps a <see cref="Sessions.DownloadSession"/>.
/// </summary>
public sealed class StreamSession : IDisposable
{
    private readonly DownloadClient _client;
    private readonly StreamingSelector _selector;
    private readonly StreamStateMachine _state = new();
    private LocalRangeServer? _server;
    private DownloadException? _failure;

    public StreamSession(DownloadOptions baseOptions, long pieceSize = 1024 * 1024, long edgeSize = 2 * 1024 * 1024)
    {
        _selector = new StreamingSelector(pieceSize, edgeSize);
        // Derived with "with": every option the caller gave reaches the download; only streaming's own change.
        DownloadOptions options = baseOptions with
        {
            MinSplitSize = Math.Min(baseOptions.MinSplitSize, pieceSize),

            // Requests of about one piece, so a seek never waits behind a long request.
            MaxRequestSize = pieceSize,
            SplitOnStart = false,

            // Bytes become readable as soon as they are written, so a player waits for one small buffer, not a big one.
            BufferSize = 16 * 1024,
        };
        _client = new DownloadClient(options);
    }

    public FileDownload? Download { get; private set; }

    public StreamState State => _state.State;

    /// <summary>
    /// The download's result, once the session has taken it into its state (Failed when it failed while serving, or
    /// Completed when finishing); await this rather than the download, so the state is current when it completes.
    /// </summary>
    public Task<DownloadResult> Ended { get; private set; } = Task.FromResult(new DownloadResult { Status = DownloadStatus.Cancelled });

    /// <summary>
    /// Raised on every move, in order, one at a time and outside the session's locks: on the thread that made the move, or
    /// on one still delivering an earlier move when it was made.
    /// </summary>
    public event EventHandler<StreamState>? Changed
    {
        add => _state.Changed += value;
        remove => _state.Changed -= value;
    }

    /// <summary>Why the session failed: a start that could not serve, or the download failing; null otherwise.</summary>
    public DownloadException? Failure => System.Threading.Volatile.Read(ref _failure);

    public string? Error => Failure?.Message;

    /// <summary>The options the stream's download runs with: the caller's, with streaming's own changes.</summary>
    public DownloadOptions Options => _client.Options;

    /// <summary>The address a player opens.</summary>
    public Uri? Url => System.Threading.Volatile.Read(ref _server)?.Url;

    /// <summary>
    /// Starts the download, waits until its size is known, and starts serving it on <paramref name="address"/>. The
    /// wait ends with a clear error when the server does not answer within the response timeout, and with
    /// <paramref name="cancellationToken"/> (Ctrl+C); every failure to start cancels the download it began, so nothing
    /// runs on in the background.
    /// </summary>
    public async Task<Uri> StartAsync(DownloadRequest request, IPAddress address, int port, CancellationToken cancellationToken)
    {
        if (!_state.TryMove(StreamState.Starting))
        {
            throw new InvalidOperationException($"A stream session in state {State} cannot start.");
        }

        // Not tied to the token once serving: stopping the player must not cancel a download the user chose to finish.
        // Its selector is passed to the download explicitly: the play heads steer where its connections go.
        FileDownload download = _client.Create(request, selector: _selector).Start();
        Download = download;
        try
        {
            ProbeInfo probe = await ProbedAsync(download, request, cancellationToken).ConfigureAwait(false);

            // Published once listening, then moved to Serving: a Stop before the move finds no server or this one,
            // and one that found none makes the move fail, so the catch below closes the listener. A file already
            // complete (found unchanged) is served from disk at once: ranges and seeks work, nothing is fetched again.
            var server = new LocalRangeServer(new StreamingSource(download, _selector, probe.Length), address, port);
            server.Start(Path.GetFileName(download.Path) ?? "stream");
            System.Threading.Volatile.Write(ref _server, server);
            if (!_state.TryMove(StreamState.Serving))
            {
                // Stopped while starting.
                throw new OperationCanceledException("The stream was stopped while starting.");
            }

            Ended = download.Completion.ContinueWith(
                t =>
                {
                    OnDownloadEnded(t.Result);
                    return t.Result;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return server.Url;
        }
        catch (Exception e)
        {
            Fail(e switch
            {
                OperationCanceledException => null,
                DownloadException known => known,
                _ => new DownloadException(DownloadErrorKind.Unknown, e.Message, e),
            });
            CloseServer();
            download.Cancel();
            await download.Completion.ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>What the probe found, once the size is known: within the response timeout, or a clear error.</summary>
    private async Task<ProbeInfo> ProbedAsync(FileDownload download, DownloadRequest request, CancellationToken cancellationToken)
    {
        // The size is known once the probe is done; nothing polls for it: the download says so (or fails) itself.
        TimeSpan deadline = _client.Options.ResponseTimeout;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task timeout = Task.Delay(deadline, wait.Token);
        Task first = await Task.WhenAny(download.Probed, timeout).ConfigureAwait(false);
        wait.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        if (first != download.Probed)
        {
            throw new DownloadException(
                DownloadErrorKind.Timeout,
                $"{Http.UserInfo.Redact(request.Uri)}: no answer within {deadline.TotalSeconds:0.#} s, so there is nothing to stream.");
        }

        ProbeInfo probe = await download.Probed.ConfigureAwait(false);
        if (probe.Length < 0)
        {
            throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{Http.UserInfo.Redact(request.Uri)}: the server does not say how large the file is, so it cannot be streamed.");
        }

        return probe;
    }

    /// <summary>Pauses the download; what is on disk is still served.</summary>
    public bool Suspend()
    {
        if (!_state.TryMove(StreamState.Suspended))
        {
            return false;
        }

        Download?.Pause();
        return true;
    }

    public bool Resume()
    {
        if (!_state.TryMove(StreamState.Serving))
        {
            return false;
        }

        Download?.Resume();
        return true;
    }

    /// <summary>
    /// Playback is over but the file is wanted: stop serving and let the download run to the end, after which the
    /// session is Completed (or Failed with the download's error).
    /// </summary>
    public bool Finish()
    {
        if (!_state.TryMove(StreamState.Finishing))
        {
            return false;
        }

        CloseServer();
        Download!.Resume();
        if (Download.Completion.IsCompleted)
        {
            OnDownloadEnded(Download.Completion.Result);
        }

        return true;
    }

    /// <summary>
    /// Stops serving, and the download unless it already completed. The partial file is kept for a later resume
    /// unless <paramref name="discard"/>, which deletes it.
    /// </summary>
    public void Stop(bool discard)
    {
        _state.TryMove(StreamState.Stopped);
        CloseServer();
        if (Download is FileDownload download && (discard || !download.Completion.IsCompleted))
        {
            download.Cancel(deletePartial: discard);
        }
    }

    public void Dispose()
    {
        Stop(discard: false);
        _client.Dispose();
    }

    private void OnDownloadEnded(DownloadResult result)
    {
        if (result.Status is DownloadStatus.Completed or DownloadStatus.Skipped)
        {
            // Completed is reached from Finishing only (the table). A download that completes while the session
            // serves or is suspended leaves it there: the player keeps reading the final file until the user stops,
            // or asks to finish, which then completes the session at once (Finish).
            _state.TryMove(StreamState.Completed);
            return;
        }

        // Nothing more will arrive: a player would wait forever, so stop serving and say why.
        if (!StreamStateMachine.IsFinal(State))
        {
            Fail(new DownloadException(result.ErrorKind ?? DownloadErrorKind.Unknown, result.Error ?? "The download failed."));
            CloseServer();
        }
    }

    private void Fail(DownloadException? error)
    {
        if (error != null)
        {
            System.Threading.Interlocked.CompareExchange(ref _failure, error, null);
        }

        _state.TryMove(error == null ? StreamState.Stopped : StreamState.Failed);
    }

    private void CloseServer() => System.Threading.Interlocked.Exchange(ref _server, null)?.Dispose();
}
