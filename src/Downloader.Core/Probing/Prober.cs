using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;

namespace Downloader.Core.Probing;

/// <summary>
/// Learns size, range support, validators, type, name and final URL with one GET for the file's first bytes, whose
/// body the first connection then reads, so probing costs no extra round trip. The range is bounded, so that a small
/// file arrives whole and the connection goes back to the pool instead of being cut.
/// </summary>
internal sealed class Prober
{
    private readonly RequestSender _sender;
    private readonly long _probeSize;

    /// <param name="probeSize">
    /// How many bytes the probe asks for: the smallest segment, so the probe's body always lies inside the first
    /// segment and is read to its end.
    /// </param>
    public Prober(RequestSender sender, long probeSize)
    {
        _sender = sender;
        _probeSize = Math.Max(1, probeSize);
    }

    /// <param name="ifModifiedSince">The local copy's time; a 304 answer comes back as <see cref="ProbeResult.NotModified"/>.</param>
    public async Task<ProbeResult> ProbeAsync(Uri uri, DateTimeOffset? ifModifiedSince, CancellationToken cancellationToken)
    {
        var (response, finalUri) = await _sender.GetAsync(uri, 0, _probeSize, null, cancellationToken, ifModifiedSince).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        if (status == 304)
        {
            response.Dispose();
            return await NotModifiedAsync(uri, finalUri, cancellationToken).ConfigureAwait(false);
        }

        // An empty file cannot satisfy a range, and a server whose ranges are wrong must not be split.
        bool rangeBroken = status == 416 ||
            (status == 206 && (!ContentRange.TryParse(ContentRangeHeader(response), out ContentRange range) || range.First != 0 || range.Total < 0));
        if (rangeBroken)
        {
            response.Dispose();
            (response, finalUri) = await _sender.GetAsync(uri, null, null, null, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }

        if (status < 200 || status > 299)
        {
            DownloadException error = HttpFailures.FromStatus(response, finalUri, _sender.Hints);
            response.Dispose();
            throw error;
        }

        return Describe(response, finalUri, acceptsRanges: status == 206);
    }

    /// <summary>
    /// A 304 says the date is the same, not that the local copy is whole: one byte more tells the remote length (from
    /// Content-Range, or a 200's Content-Length), so a copy cut short is never taken for this version.
    /// </summary>
    private async Task<ProbeResult> NotModifiedAsync(Uri uri, Uri finalUri, CancellationToken cancellationToken)
    {
        long length = -1;
        string? type = null;
        string? encoding = null;
        try
        {
            var (response, _) = await _sender.GetAsync(uri, 0, 1, null, cancellationToken).ConfigureAwait(false);
            using (response)
            {
                if (ContentRange.TryParse(ContentRangeHeader(response), out ContentRange range) && (int)response.StatusCode == 206)
                {
                    length = range.Total;
                }
                else if ((int)response.StatusCode == 200)
                {
                    length = response.Content.Headers.ContentLength ?? -1;
                }

                type = response.Content.Headers.ContentType?.ToString();
                encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
            }
        }
        catch (Exception e) when (e is HttpRequestException or DownloadException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The length stays unknown; the date decides, as before.
        }

        return new ProbeResult { FinalUri = finalUri, StatusCode = 304, NotModified = true, Length = length, ContentType = type, ContentEncoding = encoding };
    }

    private static ProbeResult Describe(HttpResponseMessage response, Uri finalUri, bool acceptsRanges)
    {
        long length = -1;
        long bodyEnd = -1;
        if (acceptsRanges && ContentRange.TryParse(ContentRangeHeader(response), out ContentRange range))
        {
            length = range.Total;
            bodyEnd = range.Last + 1;
        }
        else if (response.Content.Headers.ContentLength is long contentLength)
        {
            length = contentLength;
        }

        return new ProbeResult
        {
            FinalUri = finalUri,
            Length = length,
            AcceptsRanges = acceptsRanges,
            ETag = response.Headers.ETag?.ToString(),
            LastModified = response.Content.Headers.LastModified,
            ContentType = response.Content.Headers.ContentType?.ToString(),
            ContentEncoding = response.Content.Headers.ContentEncoding.LastOrDefault(),
            DispositionName = Naming.ContentDispositionParser.GetFileName(HeaderValue(response, "Content-Disposition")),
            StatusCode = (int)response.StatusCode,
            HttpVersion = response.Version,
            Headers = AllHeaders(response),
            Response = response,
            ResponseEnd = bodyEnd >= 0 ? bodyEnd : length,
        };
    }

    internal static string? ContentRangeHeader(HttpResponseMessage response) => HeaderValue(response, "Content-Range");

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Content.Headers.TryGetValues(name, out IEnumerable<string>? values) ||
        response.Headers.TryGetValues(name, out values)
            ? string.Join(", ", values)
            : null;

    internal static IReadOnlyDictionary<string, string> AllHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        return headers;
    }
}
