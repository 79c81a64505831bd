using System;

namespace Downloader.Core;

/// <summary>A download failure with a message fit for a user: it names the URL or file and the cause.</summary>
public sealed class DownloadException : Exception
{
    public DownloadException(DownloadErrorKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public DownloadErrorKind Kind { get; }

    /// <summary>The HTTP status when <see cref="Kind"/> is <see cref="DownloadErrorKind.HttpStatus"/>.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Whether trying again may succeed (a 503, a reset connection, a stall).</summary>
    public bool IsTransient { get; init; }

    /// <summary>How long the server asked us to wait, from Retry-After.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
