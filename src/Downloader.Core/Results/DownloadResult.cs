using System;
using System.Collections.Generic;

namespace Downloader.Core.Results;

/// <summary>
/// What one download produced. The CLI prints it as JSON and the cmdlets put it on the pipeline, so both front ends
/// report exactly the same fields.
/// </summary>
public sealed record DownloadResult
{
    /// <summary>The URL as given; null when the input was not a valid URL (see <see cref="Input"/>).</summary>
    public Uri? Url { get; init; }

    /// <summary>The item as the user wrote it: the URL text, or the list line that could not be used.</summary>
    public string Input { get; init; } = string.Empty;

    public Uri? FinalUrl { get; init; }

    /// <summary>The finished file; null for in-memory downloads and for failures.</summary>
    public string? Path { get; init; }

    public string? FileName { get; init; }

    public long Bytes { get; init; }

    public string? ContentType { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Hex SHA-256 of the content, when that is the hash computed or verified (see <see cref="Hash"/>).</summary>
    public string? Sha256 { get; init; }

    /// <summary>Lower-case hex digest of the content, when one was computed or verified, in <see cref="HashAlgorithm"/>.</summary>
    public string? Hash { get; init; }

    /// <summary>SHA256, SHA512, SHA384, SHA1 or MD5 (as Get-FileHash names them), when <see cref="Hash"/> is set.</summary>
    public string? HashAlgorithm { get; init; }

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset EndTime { get; init; }

    public double Seconds => (EndTime - StartTime).TotalSeconds;

    public int Connections { get; init; }

    /// <summary>The URL and its mirrors, each with the bytes it gave and why it was dropped, if it was.</summary>
    public IReadOnlyList<SourceBytes> Sources { get; init; } = Array.Empty<SourceBytes>();

    public int Retries { get; init; }

    /// <summary>True when earlier bytes were reused from a part file.</summary>
    public bool Resumed { get; init; }

    public DownloadStatus Status { get; init; }

    /// <summary>
    /// Why a skipped item was skipped: "unchanged", "in progress in process 1234", "duplicate of line 3"; null otherwise.
    /// </summary>
    public string? Reason { get; init; }

    public string? Error { get; init; }

    public DownloadErrorKind? ErrorKind { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>The protocol the server answered with: "HTTP/2" or "HTTP/1.1".</summary>
    public string? HttpVersion { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The content, for in-memory downloads only.</summary>
    public byte[]? Content { get; init; }
}
