using System.Collections.Generic;

namespace Downloader.Cli;

/// <summary>What `downloader queue add` was given.</summary>
internal sealed record QueueAddSettings
{
    public IReadOnlyList<string> Urls { get; init; } = new List<string>();

    public string? Input { get; init; }

    public string? Directory { get; init; }

    public int? Connections { get; init; }

    public long LimitRate { get; init; }

    public Core.Priority.DownloadPriority Priority { get; init; }

    public bool Force { get; init; }

    public bool NoStart { get; init; }
}
