using System;
using System.Collections.Generic;
using System.Net;
using Downloader.Core.Priority;

namespace Downloader.Core;

/// <summary>
/// How downloads behave: plain data, compared and derived with <c>with</c>. One instance is shared by every download of
/// a <see cref="DownloadClient"/>, which builds the live services from it (the shared rate limiter); behaviour the
/// caller supplies (a URL refresher) and streaming's piece selector are passed beside it, never inside.
/// </summary>
public sealed record DownloadOptions
{
    /// <summary>The most connections one file may use at once.</summary>
    public int MaxConnectionsPerFile { get; init; } = 8;

    /// <summary>The most connections to one host, across all downloads of the client.</summary>
    public int MaxConnectionsPerHost { get; init; } = 16;

    /// <summary>
    /// The most connections all downloads of the client may use at once (a batch's "-Threads"); 0 for no limit
    /// beyond the per-file and per-host ones. Small files take one each; big files take more when there is room.
    /// </summary>
    public int TotalConnections { get; init; }

    /// <summary>No range smaller than this is split off, so small files use one connection.</summary>
    public long MinSplitSize { get; init; } = 1024 * 1024;

    /// <summary>
    /// How long one range request should last at the connection's measured speed; the connection then asks for the
    /// next piece on the same keep-alive connection. Bounded requests let a split take work without dropping the
    /// owner's connection and give each request its own budget on servers that throttle per response (nginx's
    /// limit_rate); a second per request keeps the extra round trip to a few percent on a long-distance link.
    /// </summary>
    public TimeSpan RequestDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest range one request asks for, however fast the connection.</summary>
    public long MaxRequestSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>Consecutive failed attempts, without a byte of progress, before a range gives up.</summary>
    public int MaxRetries { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that delivers no byte for this long is dropped and retried.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for response headers.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxRedirects { get; init; } = 10;

    /// <summary>Extra request headers. Authorization and Cookie are sent to the original host only.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string UserAgent { get; init; } = "Downloader/" + typeof(DownloadOptions).Assembly.GetName().Version;

    /// <summary>
    /// Basic credentials, sent to the original origin (scheme, host, port) only. Without them, a URL's
    /// <c>user:password@</c> is used the same way.
    /// </summary>
    public NetworkCredential? Credential { get; init; }

    /// <summary>Follow a redirect from https to http. Off: such a redirect fails, as in browsers.</summary>
    public bool AllowInsecureRedirect { get; init; }

    /// <summary>
    /// The proxy for every request, loopback included; null: the system or environment proxy (HTTP_PROXY,
    /// HTTPS_PROXY, NO_PROXY, or the Windows settings). Its <c>user:password@</c> is used as its credential.
    /// </summary>
    public Uri? Proxy { get; init; }

    /// <summary>Proxies, proxy credentials, sign-in, certificates and cookies: the settings of a company network.</summary>
    public Http.NetworkSettings Network { get; init; } = new();

    /// <summary>Skips TLS certificate validation. Off unless the user asks.</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>What happens when the destination file exists.</summary>
    public ExistingFilePolicy ExistingFile { get; init; } = ExistingFilePolicy.SkipOrRename;

    /// <summary>Accepted content types ("image/*", "application/pdf"); an item of another type fails. Empty accepts all.</summary>
    public IReadOnlyList<string> AcceptContentTypes { get; init; } = Array.Empty<string>();

    /// <summary>The largest in-memory download; a larger item fails instead of exhausting memory.</summary>
    public long MaxInMemorySize { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Flush every finished file to disk (<c>fdatasync</c>) before its rename, so a power loss never takes back a file
    /// that has its final name. Off: on Linux a file is renamed once written, its folder noting the boot (see
    /// <c>UnflushedFolders</c>), and a run that reaches its end makes them durable in one syncfs per file system; so a
    /// power loss may take the bytes of files renamed by a run that had not ended, and the next run after the restart
    /// downloads those again; the cost of a file then does not depend on how busy the disk is.
    /// Elsewhere, and in a folder that cannot hold the note, every file is flushed either way.
    /// </summary>
    public bool Durable { get; init; }

    /// <summary>Compute the SHA-256 of every finished file even when no expected hash was given.</summary>
    public bool ComputeSha256 { get; init; }

    /// <summary>
    /// A checksum file (SHA256SUMS style): an item whose file name it lists is checked against it, unless the item
    /// has a hash of its own; an item it does not list is downloaded unchecked.
    /// </summary>
    public Batch.ChecksumFile? Checksums { get; init; }

    /// <summary>
    /// How often the resume state is made durable. Each checkpoint also flushes the part file to disk, and flushing
    /// often keeps the writeback streaming instead of leaving a gigabyte of dirty pages for the final flush.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Per-connection read buffer; pooled, so memory is bounded by connections × this.</summary>
    public int BufferSize { get; init; } = 128 * 1024;

    /// <summary>
    /// The most bytes per second all downloads of the client receive together; 0 for no limit. The client makes one
    /// limiter of it (<see cref="DownloadClient.Limiter"/>), whose rate may be changed while downloads run.
    /// </summary>
    public long MaxBytesPerSecond { get; init; }

    /// <summary>
    /// How the downloads share the link: Background yields to other traffic (see <see cref="DelayController"/>);
    /// Foreground and Normal take what their connections get.
    /// </summary>
    public DownloadPriority Priority { get; init; } = DownloadPriority.Normal;

    /// <summary>How a Background download reacts to queueing delay.</summary>
    public BackgroundSettings Background { get; init; } = new();

    /// <summary>
    /// Cut a fresh download into one segment per connection up front. Streaming turns this off, so that its selector
    /// alone decides where connections go.
    /// </summary>
    public bool SplitOnStart { get; init; } = true;

    /// <summary>The most URL refreshes for one item (see <see cref="IUrlRefresher"/>); one more refusal fails it.</summary>
    public int MaxUrlRefreshes { get; init; } = 5;

    /// <summary>
    /// The one timeout meaning of every front end (<c>-TimeoutSec</c>, <c>--timeout</c>): a server that says nothing
    /// for this long, before its headers or within the body, is given up on and the connection retried.
    /// </summary>
    public DownloadOptions WithTimeout(TimeSpan timeout) => this with { ResponseTimeout = timeout, ReadTimeout = timeout };
}
