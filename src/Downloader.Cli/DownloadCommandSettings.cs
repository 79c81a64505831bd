using System;

namespace Downloader.Cli;

/// <summary>The parsed command line of a single download.</summary>
internal sealed class DownloadCommandSettings
{
    public string Url { get; init; } = string.Empty;

    public string? Output { get; init; }

    public string? Directory { get; init; }

    public int Connections { get; init; } = 8;

    public string? Sha256 { get; init; }

    public long LimitRate { get; init; }

    public int Retries { get; init; } = 5;

    public bool Force { get; init; }

    public bool Json { get; init; }

    public bool Insecure { get; init; }

    public bool Quiet { get; init; }

    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
