using System;
using System.Net.Http;
using System.Threading;
using Downloader.Core.Http;
using Downloader.Core.Naming;
using Downloader.Core.Transfer;

namespace Downloader.Core;

/// <summary>
/// The engine's entry point: one HTTP client with its connection pool and one set of options, shared by every
/// download started from it. Front ends (cmdlets, CLI) create one and start downloads on it.
/// </summary>
public sealed class DownloadClient : IDisposable
{
    private readonly IDisposable _owner;

    public DownloadClient(DownloadOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        var sockets = new Priority.SocketWatch();
        (HttpClient, _owner) = HttpClientBuilder.Create(options, sockets);
        Lanes = new ConnectionLanes(HttpClient, () => HttpClientBuilder.CreateLane(options, sockets));
        Retry = RetryPipelineFactory.Create(options);
        Budget = options.TotalConnections > 0 ? new ConnectionBudget(options.TotalConnections, Math.Max(1, options.MaxConnectionsPerHost)) : null;
        Limits = new LiveLimits(options, Budget, sockets, new Priority.DelaySamples(), TimeProvider.System);
    }

    /// <summary>The limits that can change while the client's downloads run (rate, connections, priority).</summary>
    public LiveLimits Limits { get; }

    /// <summary>The connection budget shared by every download of this client; null when only per-file limits apply.</summary>
    public ConnectionBudget? Budget { get; }

    internal PathReservations Names { get; } = new();

    /// <summary>Folders this client already created, so a batch does not ask the file system once per item.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, byte> KnownDirectories { get; } = new();

    internal Polly.ResiliencePipeline Retry { get; }

    /// <summary>Flushes each finished file, off the transfers' threads, before it is renamed.</summary>
    internal Storage.FileFlusher Flusher { get; } = new();

    public DownloadOptions Options { get; }

    internal HttpClient HttpClient { get; }

    internal ConnectionLanes Lanes { get; }

    /// <summary>Starts downloading at once; observe, pause or cancel it through the returned object.</summary>
    public FileDownload Start(DownloadRequest request, CancellationToken cancellationToken = default) =>
        Create(request, cancellationToken).Start();

    /// <summary>A download that has not started: the caller registers it (so a stop can reach it) and then starts it.</summary>
    internal FileDownload Create(DownloadRequest request, CancellationToken cancellationToken = default) =>
        new(this, request, cancellationToken);

    public void Dispose()
    {
        Limits.Dispose();
        Lanes.Dispose();
        HttpClient.Dispose();
        _owner.Dispose();
    }
}
