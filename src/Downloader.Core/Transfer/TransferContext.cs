using System;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Planning;
using Polly;

namespace Downloader.Core.Transfer;

/// <summary>
/// What every connection of one download shares: where to fetch, which version, the counters, and the client's live
/// services (retries, the rate limiter) with the download's piece selector, handed in explicitly.
/// </summary>
internal sealed class TransferContext
{
    public TransferContext(DownloadClient client, RequestSender sender, RetryPipelineFactory.StrongBox retries, ThroughputMeter meter, RefreshableSource source, IPieceSelector selector)
    {
        Limits = client.Limits;
        Sender = sender;
        Source = source;
        Options = client.Options;
        Retry = client.Retry;
        Retries = retries;
        Meter = meter;
        Selector = selector;
    }

    public RequestSender Sender { get; }

    /// <summary>Takes what every request of the transfer must agree with from the probe that preceded it.</summary>
    public void Adopt(Probing.ProbeResult probe)
    {
        Source.Adopt(probe.FinalUri);
        Length = probe.Length;
        ETag = probe.ETag;
        LastModified = probe.LastModified;
        IfRange = probe.IfRangeValidator;
        ContentEncoding = probe.ContentEncoding;
        UseLanes = probe.HttpVersion.Major >= 2;
    }

    public DownloadOptions Options { get; }

    /// <summary>The client's limits as they are now: the rate, the connections a file may use, the priority.</summary>
    public LiveLimits Limits { get; }

    public ResiliencePipeline Retry { get; }

    /// <summary>Chooses the next piece for an idle connection: the bulk order, or streaming's play order.</summary>
    public IPieceSelector Selector { get; }

    /// <summary>The download's retry count, which every request's retries add to.</summary>
    public RetryPipelineFactory.StrongBox Retries { get; }

    public Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken) =>
        Retry.ExecuteAsync(action, Retries, cancellationToken);

    public ThroughputMeter Meter { get; }

    /// <summary>
    /// The download's own stop (cancel), apart from a pause: reads drop in-flight bytes only on this one, and keep
    /// them on a pause.
    /// </summary>
    public CancellationToken Stopping { get; set; }

    /// <summary>The URL every request goes to now; a refresh (see <see cref="RefreshableSource"/>) changes it.</summary>
    public Uri Uri => Source.Current;

    /// <summary>Where the requests go, and the one refresh at a time when that URL expires.</summary>
    public RefreshableSource Source { get; }

    public long Length { get; set; } = -1;

    public string? ETag { get; set; }

    public DateTimeOffset? LastModified { get; set; }

    public string? IfRange { get; set; }

    /// <summary>Whether each connection takes a lane of its own: the server spoke HTTP/2 (see ConnectionLanes).</summary>
    public bool UseLanes { get; set; }

    /// <summary>The probe's Content-Encoding: every range must be of the same representation.</summary>
    public string? ContentEncoding { get; set; }
}
