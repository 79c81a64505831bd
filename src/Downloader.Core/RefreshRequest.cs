using System;

namespace Downloader.Core;

/// <summary>What an <see cref="IUrlRefresher"/> is told: which item, which URL stopped working, and how.</summary>
public sealed class RefreshRequest
{
    public RefreshRequest(Uri originalUri, Uri currentUri, int statusCode, int attempt, string? path)
    {
        OriginalUri = originalUri;
        CurrentUri = currentUri;
        StatusCode = statusCode;
        Attempt = attempt;
        Path = path;
    }

    /// <summary>The item's URL as it was given.</summary>
    public Uri OriginalUri { get; }

    /// <summary>The URL that was just refused: the original one, or the last refresh's.</summary>
    public Uri CurrentUri { get; }

    /// <summary>The refusal: 401, 403 or 410.</summary>
    public int StatusCode { get; }

    /// <summary>1 for the item's first refresh, 2 for the next, and so on.</summary>
    public int Attempt { get; }

    /// <summary>The file being written, when the download goes to a file.</summary>
    public string? Path { get; }
}
