namespace Downloader.Core.Tests.Server;

/// <summary>How the test origin misbehaves while serving one response.</summary>
public sealed record ServeOptions
{
    public bool HonourRange { get; init; } = true;

    public string? ETag { get; init; } = "\"v1\"";

    public DateTimeOffset? LastModified { get; init; } = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public bool SendContentLength { get; init; } = true;

    /// <summary>Per-connection rate limit, bytes per second; 0 for none.</summary>
    public long BytesPerSecond { get; init; }

    /// <summary>Abort the connection after sending this many body bytes.</summary>
    public long? AbortAfter { get; init; }

    /// <summary>Stop sending (without closing) after this many body bytes, for this long.</summary>
    public long? StallAfter { get; init; }

    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause after this many body bytes until <see cref="HoldUntil"/> completes (at most <see cref="SourceGate.Bound"/>).</summary>
    public long? HoldAfter { get; init; }

    public Task? HoldUntil { get; init; }

    /// <summary>Shift the Content-Range start of non-zero ranges (a lying server).</summary>
    public long ContentRangeShift { get; init; }

    /// <summary>Declare this many more bytes in Content-Length than are sent.</summary>
    public long ExtraContentLength { get; init; }

    public string? ContentDisposition { get; init; }

    public string ContentType { get; init; } = "application/octet-stream";

    /// <summary>Compresses each response on the fly (no ranges), whatever the request's Accept-Encoding.</summary>
    public bool Gzip { get; init; }

    /// <summary>
    /// A Content-Encoding label for content that is stored encoded (Apache's <c>AddEncoding gzip .gz</c>): ranges
    /// address the encoded bytes.
    /// </summary>
    public string? ContentEncoding { get; init; }

    /// <summary>Called when the origin answers 304.</summary>
    public Action? OnNotModified { get; init; }
}
