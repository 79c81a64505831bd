using System;
using System.Collections.Generic;
using System.Linq;
using Downloader.Core.Transfer;

namespace Downloader.Core.Queue;

/// <summary>
/// The part of <see cref="DownloadOptions"/> a queue entry keeps, as plain data: what a worker in another process
/// needs to run the item as the caller asked. Secrets are never among it: <see cref="PersistCheck"/> refuses an item
/// that has any before it is queued.
/// </summary>
public sealed record PersistedOptions
{
    public int ConnectionsPerFile { get; init; }

    public int TotalConnections { get; init; }

    public int ConnectionsPerHost { get; init; }

    public long BytesPerSecond { get; init; }

    public bool Overwrite { get; init; }

    public int MaxRetries { get; init; }

    public long RetryDelayMilliseconds { get; init; }

    public long ResponseTimeoutMilliseconds { get; init; }

    public long ReadTimeoutMilliseconds { get; init; }

    public string UserAgent { get; init; } = string.Empty;

    /// <summary>"Name: value", credential headers never (see <see cref="PersistCheck"/>).</summary>
    public IReadOnlyList<string> Headers { get; init; } = Array.Empty<string>();

    public string? Proxy { get; init; }

    public bool NoProxy { get; init; }

    public bool SkipCertificateCheck { get; init; }

    public IReadOnlyList<string> Accept { get; init; } = Array.Empty<string>();

    public bool ComputeSha256 { get; init; }

    /// <summary>-Durable: each file flushed before its rename (<see cref="DownloadOptions.Durable"/>).</summary>
    public bool Durable { get; init; }

    /// <summary>-Priority / --priority: Background runs the entry under the delay controller (<see cref="DownloadOptions.Priority"/>).</summary>
    public Core.Priority.DownloadPriority Priority { get; init; }

    public static PersistedOptions From(DownloadOptions options) => new()
    {
        ConnectionsPerFile = options.MaxConnectionsPerFile,
        TotalConnections = options.TotalConnections,
        ConnectionsPerHost = options.MaxConnectionsPerHost,
        BytesPerSecond = options.MaxBytesPerSecond,
        Durable = options.Durable,
        Priority = options.Priority,
        Overwrite = options.ExistingFile == ExistingFilePolicy.Overwrite,
        MaxRetries = options.MaxRetries,
        RetryDelayMilliseconds = (long)options.RetryBaseDelay.TotalMilliseconds,
        ResponseTimeoutMilliseconds = (long)options.ResponseTimeout.TotalMilliseconds,
        ReadTimeoutMilliseconds = (long)options.ReadTimeout.TotalMilliseconds,
        UserAgent = options.UserAgent,
        Headers = options.Headers.Select(h => h.Key + ": " + h.Value).ToArray(),
        Proxy = options.Proxy?.AbsoluteUri,
        NoProxy = options.Network.NoProxy,
        SkipCertificateCheck = options.SkipCertificateCheck,
        Accept = options.AcceptContentTypes.ToArray(),
        ComputeSha256 = options.ComputeSha256,
    };

    /// <summary>The options a worker runs the entry with.</summary>
    public DownloadOptions ToOptions()
    {
        var defaults = new DownloadOptions();
        return defaults with
        {
            MaxConnectionsPerFile = ConnectionsPerFile > 0 ? ConnectionsPerFile : defaults.MaxConnectionsPerFile,
            TotalConnections = TotalConnections,
            MaxConnectionsPerHost = ConnectionsPerHost > 0 ? ConnectionsPerHost : defaults.MaxConnectionsPerHost,
            MaxBytesPerSecond = BytesPerSecond,
            Durable = Durable,
            Priority = Priority,
            ExistingFile = Overwrite ? ExistingFilePolicy.Overwrite : defaults.ExistingFile,
            MaxRetries = MaxRetries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(RetryDelayMilliseconds),
            ResponseTimeout = ResponseTimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(ResponseTimeoutMilliseconds) : defaults.ResponseTimeout,
            ReadTimeout = ReadTimeoutMilliseconds > 0 ? TimeSpan.FromMilliseconds(ReadTimeoutMilliseconds) : defaults.ReadTimeout,
            UserAgent = UserAgent.Length > 0 ? UserAgent : defaults.UserAgent,
            Headers = Headers.Select(h => h.Split(new[] { ": " }, 2, StringSplitOptions.None))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase),
            Proxy = Proxy != null ? new Uri(Proxy) : null,
            Network = defaults.Network with { NoProxy = NoProxy },
            SkipCertificateCheck = SkipCertificateCheck,
            AcceptContentTypes = Accept,
            ComputeSha256 = ComputeSha256,
        };
    }

    internal IEnumerable<KeyValuePair<string, object?>> Fields()
    {
        yield return new("connectionsPerFile", ConnectionsPerFile);
        yield return new("totalConnections", TotalConnections);
        yield return new("connectionsPerHost", ConnectionsPerHost);
        yield return new("bytesPerSecondLimit", BytesPerSecond);
        yield return new("overwrite", Overwrite);
        yield return new("maxRetries", MaxRetries);
        yield return new("retryDelayMs", RetryDelayMilliseconds);
        yield return new("responseTimeoutMs", ResponseTimeoutMilliseconds);
        yield return new("readTimeoutMs", ReadTimeoutMilliseconds);
        yield return new("userAgent", UserAgent);
        yield return new("headers", Headers);
        yield return new("proxy", Proxy);
        yield return new("noProxy", NoProxy);
        yield return new("skipCertificateCheck", SkipCertificateCheck);
        yield return new("accept", Accept);
        yield return new("computeSha256", ComputeSha256);
        yield return new("durable", Durable);
        yield return new("priority", Priority.ToString());
    }

    internal static PersistedOptions Read(JsonFields f) => new()
    {
        ConnectionsPerFile = (int)f.Long("connectionsPerFile"),
        TotalConnections = (int)f.Long("totalConnections"),
        ConnectionsPerHost = (int)f.Long("connectionsPerHost"),
        BytesPerSecond = f.Long("bytesPerSecondLimit"),
        Overwrite = f.Bool("overwrite"),
        MaxRetries = (int)f.Long("maxRetries", 5),
        RetryDelayMilliseconds = f.Long("retryDelayMs", 1000),
        ResponseTimeoutMilliseconds = f.Long("responseTimeoutMs"),
        ReadTimeoutMilliseconds = f.Long("readTimeoutMs"),
        UserAgent = f.String("userAgent") ?? string.Empty,
        Headers = f.Strings("headers"),
        Proxy = f.String("proxy"),
        NoProxy = f.Bool("noProxy"),
        SkipCertificateCheck = f.Bool("skipCertificateCheck"),
        Accept = f.Strings("accept"),
        ComputeSha256 = f.Bool("computeSha256"),
        Durable = f.Bool("durable"),
        Priority = f.Enum("priority", Core.Priority.DownloadPriority.Normal),
    };
}
