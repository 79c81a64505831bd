using System;
using System.Collections.Generic;
using System.Net.Http;

namespace Downloader.Core.Probing;

/// <summary>What the first response told us about the remote file. Owns that response until someone takes it.</summary>
internal sealed class ProbeResult : IDisposable
{
    public Uri FinalUri { get; init; } = null!;

    /// <summary>-1 when the server did not say.</summary>
    public long Length { get; init; } = -1;

    /// <summary>The server answered our probe's range request correctly, so ranges can be fetched in parallel.</summary>
    public bool AcceptsRanges { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    /// <summary>The name from Content-Disposition, unsanitized; null when absent.</summary>
    public string? DispositionName { get; init; }

    public int StatusCode { get; init; }

    /// <summary>The server answered a conditional probe with 304: the local copy is current.</summary>
    public bool NotModified { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>The protocol the server answered with (1.1, 2.0).</summary>
    public Version HttpVersion { get; init; } = new(1, 1);

    /// <summary>Where the open response's body ends (exclusive); -1 when unknown.</summary>
    public long ResponseEnd { get; init; } = -1;

    /// <summary>The open response; its body starts at byte 0 and may be read by the first connection.</summary>
    public HttpResponseMessage? Response { get; set; }

    /// <summary>
    /// Whether ranged, resumable, multi-connection fetching is safe. A Content-Encoding does not prevent it: ranges
    /// address the representation as served (a .tar.gz that Apache labels <c>gzip</c> is ranged over its gzip bytes),
    /// and those bytes are what is saved, never a decoded stream. Each range response must carry the same encoding.
    /// </summary>
    public bool CanSplit => AcceptsRanges && Length >= 0;

    /// <summary>The validator for If-Range: a strong ETag, else Last-Modified, else null.</summary>
    public string? IfRangeValidator =>
        ETag != null && !ETag.StartsWith("W/", StringComparison.Ordinal)
            ? ETag
            : LastModified?.ToString("r", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Takes the open response, which the caller then owns.</summary>
    public HttpResponseMessage? TakeResponse()
    {
        HttpResponseMessage? response = Response;
        Response = null;
        return response;
    }

    public void Dispose() => Response?.Dispose();
}
