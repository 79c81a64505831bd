using System;

namespace Downloader.Core.Results;

/// <summary>One source of a download (the URL or a mirror) and how many bytes it gave in this run.</summary>
public sealed record SourceBytes
{
    /// <summary>The source's URL, its password redacted.</summary>
    public Uri Url { get; init; } = null!;

    /// <summary>Bytes this source delivered in this run (bytes resumed from a part file count for none).</summary>
    public long Bytes { get; init; }

    /// <summary>Why the source was dropped during the download, or null when it stayed in use to the end.</summary>
    public string? Dropped { get; init; }
}
