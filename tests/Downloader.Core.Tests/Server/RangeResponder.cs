using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>Writes one HTTP response for a byte array: Range, If-Range, 206/416, and the misbehaviours of <see cref="ServeOptions"/>.</summary>
public static class RangeResponder
{
    /// <summary>The bytes the on-the-fly gzip endpoint sends (deterministic for one input).</summary>
    public static byte[] Gzip(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }

    public static async Task ServeAsync(HttpContext context, byte[] data, ServeOptions options)
    {
        HttpResponse response = context.Response;
        HttpRequest request = context.Request;
        if (options.ETag != null)
        {
            response.Headers.ETag = options.ETag;
        }

        if (options.LastModified != null)
        {
            response.Headers.LastModified = options.LastModified.Value.ToString("r", CultureInfo.InvariantCulture);
        }

        if (options.ContentDisposition != null)
        {
            response.Headers.ContentDisposition = options.ContentDisposition;
        }

        if (options.LastModified != null && request.Headers.IfModifiedSince.Count > 0 &&
            DateTimeOffset.TryParse(request.Headers.IfModifiedSince.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset since) &&
            Math.Abs((since - options.LastModified.Value).TotalSeconds) < 1)
        {
            response.StatusCode = 304;
            options.OnNotModified?.Invoke();
            return;
        }

        response.ContentType = options.ContentType;
        if (options.ContentEncoding != null)
        {
            response.Headers.ContentEncoding = options.ContentEncoding;
        }

        if (options.Gzip)
        {
            byte[] compressed = Gzip(data);
            response.Headers.ContentEncoding = "gzip";
            response.ContentLength = compressed.Length;
            await response.Body.WriteAsync(compressed);
            return;
        }

        long start = 0;
        long end = data.Length - 1;
        if (options.HonourRange && TryParseRange(request.Headers.Range.ToString(), data.Length, out long rs, out long re) && IfRangeMatches(request, options))
        {
            response.Headers.AcceptRanges = "bytes";
            if (rs >= data.Length)
            {
                response.StatusCode = 416;
                response.Headers.ContentRange = $"bytes */{data.Length}";
                return;
            }

            start = rs;
            end = re;
            response.StatusCode = 206;
            long shownStart = start == 0 ? start : start + options.ContentRangeShift;
            response.Headers.ContentRange = $"bytes {shownStart}-{end + (shownStart - start)}/{data.Length}";
        }

        long length = end - start + 1;
        if (options.SendContentLength)
        {
            response.ContentLength = length + options.ExtraContentLength;
        }

        await WriteBodyAsync(context, data, start, length, options);
    }

    private static async Task WriteBodyAsync(HttpContext context, byte[] data, long start, long length, ServeOptions options)
    {
        const int chunk = 16 * 1024;
        long sent = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        CancellationToken aborted = context.RequestAborted;
        try
        {
            while (sent < length)
            {
                if (options.AbortAfter is long abortAt && sent >= abortAt)
                {
                    await context.Response.Body.FlushAsync(aborted);
                    context.Abort();
                    return;
                }

                if (options.StallAfter is long stallAt && sent >= stallAt)
                {
                    await context.Response.Body.FlushAsync(aborted);
                    await Task.Delay(options.StallFor, aborted);
                    context.Abort();
                    return;
                }

                if (options.HoldAfter is long holdAt && sent >= holdAt && options.HoldUntil is { IsCompleted: false } hold)
                {
                    await context.Response.Body.FlushAsync(aborted);
                    await Task.WhenAny(hold, Task.Delay(SourceGate.Bound, aborted));
                    aborted.ThrowIfCancellationRequested();
                }

                int n = (int)Math.Min(chunk, length - sent);
                if (options.HoldAfter is long h && sent < h)
                {
                    n = (int)Math.Min(n, h - sent);
                }

                if (options.AbortAfter is long a && sent < a)
                {
                    n = (int)Math.Min(n, a - sent);
                }

                if (options.StallAfter is long s && sent < s)
                {
                    n = (int)Math.Min(n, s - sent);
                }

                await context.Response.Body.WriteAsync(data.AsMemory((int)(start + sent), n), aborted);
                sent += n;
                if (options.BytesPerSecond > 0)
                {
                    double due = sent / (double)options.BytesPerSecond;
                    double ahead = due - clock.Elapsed.TotalSeconds;
                    if (ahead > 0.001)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(ahead), aborted);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static bool IfRangeMatches(HttpRequest request, ServeOptions options)
    {
        string ifRange = request.Headers.IfRange.ToString();
        if (ifRange.Length == 0)
        {
            return true;
        }

        return ifRange == options.ETag ||
            (options.LastModified != null && ifRange == options.LastModified.Value.ToString("r", CultureInfo.InvariantCulture));
    }

    private static bool TryParseRange(string header, long length, out long start, out long end)
    {
        start = 0;
        end = length - 1;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(','))
        {
            return false;
        }

        string[] parts = header.Substring(6).Split('-');
        if (parts.Length != 2 || !long.TryParse(parts[0], out start))
        {
            return false;
        }

        if (parts[1].Length > 0)
        {
            if (!long.TryParse(parts[1], out end))
            {
                return false;
            }

            end = Math.Min(end, length - 1);
        }

        return end >= start || start >= length;
    }
}
