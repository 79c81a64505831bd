using System;
using Downloader.Core;

namespace Downloader.PowerShell.Output;

/// <summary>What Start-Download -RefreshUrl's scriptblock gets as <c>$Item</c>: which download needs a new URL, and why.</summary>
public sealed class RefreshItem
{
    internal RefreshItem(RefreshRequest request)
    {
        Url = request.OriginalUri;
        CurrentUrl = request.CurrentUri;
        StatusCode = request.StatusCode;
        Attempt = request.Attempt;
        Path = request.Path;
    }

    /// <summary>The item's URL as it was given to Start-Download.</summary>
    public Uri Url { get; }

    /// <summary>The URL that was just refused: the original one, or the last refresh's.</summary>
    public Uri CurrentUrl { get; }

    /// <summary>401, 403 or 410.</summary>
    public int StatusCode { get; }

    /// <summary>1 for the item's first refresh, then 2, 3…</summary>
    public int Attempt { get; }

    /// <summary>The file being written; null for -InMemory.</summary>
    public string? Path { get; }
}
