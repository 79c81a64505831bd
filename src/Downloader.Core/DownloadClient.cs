using System;
using System.Net.Http;
using System.Threading;
using Downloader.Core.Http;
using Downloader.Core.Naming;
using Downloader.Core.Planning;
using Downloader.Core.Transfer;

namespace Downloader.Core;

/// <summary>
/// The engine's entry point: one HTTP client with its connection pool and one set of options, shared by every
/// download started from it. Front ends (cmdlets, CLI) create one and start downloads on it.
/// </summary>
public sealed class DownloadClient : IDisposable
{
    private readonly IDisposable _owner;

    /// <param name="options">Plain data; the live services (connections, retries, the rate limiter) are built from it here, once.</param>
    /// <param name="refresher">Asked for a new URL when one expires part-way; null: such an answer fails the item.</param>
    public DownloadClient(DownloadOptions options, IUrlRefresher? refresher = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Refresher = refresher;
        Limiter = new BandwidthLimiter(options.MaxBytesPerSecond);
        var sockets = new Priority.SocketWatch();
        (HttpClient, _owner) = HttpClientBuilder.Create(options, sockets);
        Lanes = new ConnectionLanes(HttpClient, () => HttpClientBuilder.CreateLane(options, sockets));
        Retry = RetryPipelineFactory.Create(options);
        Flusher = new Storage.FileFlusher(options.Durable);
        Budget = options.TotalConnections > 0 ? new ConnectionBudget(options.TotalConnections, Math.Max(1, options.MaxConnectionsPerHost)) : null;
        Limits = new LiveLimits(options, Limiter, Budget, sockets, new Priority.DelaySamples(), TimeProvider.System);
    }

    /// <summary>The limits that can change while the client's downloads run (rate, connections, priority).</summary>
    public LiveLimits Limits { get; }

    /// <summary>The connection budget shared by every download of this client; null when only per-file limits apply.</summary>
    public ConnectionBudget? Budget { get; }

    internal PathReservations Names { get; } = new();

    /// <summary>Folders this client already created, so a batch does not ask the file system once per item.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, byte> KnownDirectories { get; } = new();

    internal Polly.ResiliencePipeline Retry { get; }

    /// <summary>Readies each finished file for its rename: a flush off the transfers' threads, or the folder's note.</summary>
    internal Storage.FileFlusher Flusher { get; }

    public DownloadOptions Options { get; }

    /// <summary>
    /// The one token bucket every connection of this client draws from, made from
    /// <see cref="DownloadOptions.MaxBytesPerSecond"/>; its rate may be changed while downloads run (0: no limit).
    /// </summary>
    public BandwidthLimiter Limiter { get; }

    /// <summary>The caller's URL refresher, given beside the options; null when there is none.</summary>
    internal IUrlRefresher? Refresher { get; }

    internal HttpClient HttpClient { get; }

    internal ConnectionLanes Lanes { get; }

    /// <summary>Starts downloading at once; observe, pause or cancel it through the returned object.</summary>
    public FileDownload Start(DownloadRequest request, CancellationToken cancellationToken = default) =>
        Create(request, cancellationToken).Start();

    /// <summary>A download that has not started: the caller registers it (so a stop can reach it) and then starts it.</summary>
    /// <param name="selector">Where idle connections go; null: the bulk order (<see cref="LargestRemainingSelector"/>). Streaming passes its own.</param>
    internal FileDownload Create(DownloadRequest request, CancellationToken cancellationToken = default, IPieceSelector? selector = null) =>
        new(this, request, cancellationToken, selector ?? new LargestRemainingSelector());

    public void Dispose()
    {
        Limits.Dispose();
        Lanes.Dispose();
        HttpClient.Dispose();
        _owner.Dispose();
    }
}
