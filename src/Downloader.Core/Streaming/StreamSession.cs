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
        var options = new DownloadOptions
        {
            MaxConnectionsPerFile = baseOptions.MaxConnectionsPerFile,
            MaxConnectionsPerHost = baseOptions.MaxConnectionsPerHost,
            MinSplitSize = Math.Min(baseOptions.MinSplitSize, pieceSize),
            MaxRetries = baseOptions.MaxRetries,
            RetryBaseDelay = baseOptions.RetryBaseDelay,
            ReadTimeout = baseOptions.ReadTimeout,
            ExistingFile = baseOptions.ExistingFile,
            Headers = baseOptions.Headers,
            Credential = baseOptions.Credential,
            Proxy = baseOptions.Proxy,
            SkipCertificateCheck = baseOptions.SkipCertificateCheck,
            BandwidthLimiter = baseOptions.BandwidthLimiter,

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

    /// <summary>The address a player opens.</summary>
    public Uri? Url => _server?.Url;

    /// <summary>
    /// Starts the download, waits until its size is known (<paramref name="cancellationToken"/> ends that wait), and
    /// starts serving it on <paramref name="address"/>.
    /// </summary>
    public async Task<Uri> StartAsync(DownloadRequest request, IPAddress address, int port, CancellationToken cancellationToken)
    {
        // Not tied to the token: stopping the player must not cancel a download the user chose to finish.
        Download = _client.Start(request);
        for (int i = 0; i < 6000 && Download.TotalBytes < 0 && !Download.Completion.IsCompleted; i++)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        if (Download.TotalBytes < 0)
        {
            DownloadResult result = Download.Completion.IsCompleted
                ? await Download.Completion.ConfigureAwait(false)
                : throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{request.Uri}: the server does not say how large the file is, so it cannot be streamed.");
            throw new DownloadException(result.ErrorKind ?? DownloadErrorKind.Unknown, result.Error ?? "The download failed.");
        }

        _server = new LocalRangeServer(new StreamingSource(Download, _selector), address, port);
        _server.Start(Path.GetFileName(Download.Path) ?? "stream");
        return _server.Url;
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
