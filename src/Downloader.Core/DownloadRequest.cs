using System;
using System.Collections.Generic;

namespace Downloader.Core;

/// <summary>One item to download: where from, where to, and what it must hash to. A record: derive one with <c>with</c>.</summary>
public sealed record DownloadRequest
{
    public DownloadRequest(Uri uri)
    {
        Uri = uri ?? throw new ArgumentNullException(nameof(uri));
    }

    public Uri Uri { get; }

    /// <summary>
    /// Other URLs of the same file. A ranged download spreads its connections over <see cref="Uri"/> and these; a
    /// mirror that fails, lies about the size or goes silent is dropped and the others finish the file.
    /// </summary>
    public IReadOnlyList<Uri> Mirrors { get; init; } = Array.Empty<Uri>();

    /// <summary>An explicit output file. When null, the file goes into <see cref="Directory"/> under the server's name.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The destination folder when <see cref="OutputPath"/> is null.</summary>
    public string Directory { get; init; } = ".";

    /// <summary>A file name to use inside <see cref="Directory"/> instead of the server's; sanitized like any other.</summary>
    public string? FileName { get; init; }

    /// <summary>Keep the content in memory (returned in the result) instead of writing a file.</summary>
    public bool InMemory { get; init; }

    /// <summary>
    /// The expected hash (any algorithm <see cref="Core.ExpectedHash"/> knows); the download fails, keeping nothing,
    /// when the content differs. It wins over a checksum file's entry (<see cref="DownloadOptions.Checksums"/>).
    /// </summary>
    public ExpectedHash? ExpectedHash { get; init; }

    /// <summary>The URL as shown: a record would print every member, the URL's password with it.</summary>
    public override string ToString() => Http.UserInfo.Redact(Uri);
}
