using System;
using Downloader.Core.Results;

namespace Downloader.PowerShell.Output;

/// <summary>One source of a downloaded file (its URL or a mirror) in a <see cref="DownloadItem"/>: the bytes it gave.</summary>
public sealed class DownloadSource
{
    internal DownloadSource(SourceBytes source)
    {
        Url = source.Url;
        Bytes = source.Bytes;
        Dropped = source.Dropped;
    }

    /// <summary>The URL, its password redacted.</summary>
    public Uri Url { get; }

    /// <summary>The bytes this source delivered in this run.</summary>
    public long Bytes { get; }

    /// <summary>Why the source was dropped during the download; null when it served to the end.</summary>
    public string? Dropped { get; }

    public override string ToString() => Dropped == null ? $"{Url} ({Bytes} bytes)" : $"{Url} ({Bytes} bytes, dropped)";
}
