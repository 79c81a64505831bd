using System;
using System.Collections.Generic;

namespace Downloader.Cli;

/// <summary>The parsed command line.</summary>
internal sealed class DownloadCommandSettings
{
    public string? Url { get; init; }

    public string? Input { get; init; }

    public string? Output { get; init; }

    public string? Directory { get; init; }

    public int? Connections { get; init; }

    public int? Jobs { get; init; }

    public int? MaxPerHost { get; init; }

    /// <summary>--checksum (or --sha256): the single URL's expected hash.</summary>
    public Core.ExpectedHash? Checksum { get; init; }

    /// <summary>--checksum-file: a SHA256SUMS-style file, read before anything starts.</summary>
    public string? ChecksumFile { get; init; }

    /// <summary>Other URLs of the single URL's file (--mirror), validated by the parser.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = Array.Empty<string>();

    public IReadOnlyList<string> Accept { get; init; } = Array.Empty<string>();

    public long LimitRate { get; init; }

    public Core.Priority.DownloadPriority Priority { get; init; }

    public int Retries { get; init; } = 5;

    public bool Force { get; init; }

    /// <summary>--durable: each file flushed before its rename (<see cref="Core.DownloadOptions.Durable"/>).</summary>
    public bool Durable { get; init; }

    public bool Json { get; init; }

    public bool Insecure { get; init; }

    public bool Quiet { get; init; }

    /// <summary>--timeout: what -TimeoutSec means (<see cref="DownloadOptions.WithTimeout"/>); null keeps the engine's defaults.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>A shell command that prints a new URL when the current one expired (401, 403, 410) part-way.</summary>
    public string? RefreshCommand { get; init; }

    /// <summary>Headers, sign-in, proxy, certificates, netrc and cookies.</summary>
    public NetworkArgs Network { get; init; } = new();

    public bool ToStdout => Output == "-";
}
