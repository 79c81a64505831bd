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
/// or discards it like any other.
/// </summary>
public sealed class StreamSession : IDisposable
{
    private readonly DownloadClient _client;
    private readonly StreamingSelector _selector;
    private LocalRangeServer? _server;

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
            PieceSelectorFactory = () => _selector,
        };
        _client = new DownloadClient(options);
    }

    public FileDownload? Download { get; private set; }

    /// <summary>The options the stream's download runs with: the caller's, with streaming's own changes.</summary>
    public DownloadOptions Options => _client.Options;

    /// <summary>The address a player opens.</summary>
    public Uri? Url => _server?.Url;

    /// <summary>
    /// Starts the download, waits until its size is known, and starts serving it on <paramref name="address"/>. The
    /// wait ends with a clear error when the server does not answer within the response timeout, and with
    /// <paramref name="cancellationToken"/> (Ctrl+C); every failure to start cancels the download it began, so nothing
    /// runs on in the background.
    /// </summary>
    public async Task<Uri> StartAsync(DownloadRequest request, IPAddress address, int port, CancellationToken cancellationToken)
    {
        // Not tied to the token once serving: stopping the player must not cancel a download the user chose to finish.
        FileDownload download = _client.Start(request);
        Download = download;
        try
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

            _server = new LocalRangeServer(new StreamingSource(download, _selector), address, port);
            _server.Start(Path.GetFileName(download.Path) ?? "stream");
            return _server.Url;
        }
        catch (Exception)
        {
            download.Cancel();
            await download.Completion.ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops serving. Kept, the download goes on to completion; discarded, it is cancelled and its files deleted.</summary>
    public void StopServing(bool discard)
    {
        _server?.Dispose();
        _server = null;
        if (discard)
        {
            Download?.Cancel(deletePartial: true);
        }
    }

    public void Dispose()
    {
        StopServing(discard: false);
        _client.Dispose();
    }
}
