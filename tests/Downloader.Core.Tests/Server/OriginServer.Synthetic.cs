using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// /synthetic/{length}/{rate}/{key}: a file of any length made up on the fly (a repeated 64 KiB block), with ranges,
/// each response sent at up to {rate} bytes per second (0: as fast as the client reads). For tests that need a
/// download to run for as long as they like (Set-Download) without holding the file in memory; they stop it before
/// it ends.
/// </summary>
public sealed partial class OriginServer
{
    private static readonly byte[] Block = TestData.Bytes(64 * 1024, seed: 7);

    private void MapSynthetic() => _app.MapGet("/synthetic/{length:long}/{rate:long}/{key}", ServeSyntheticAsync);

    private static async Task ServeSyntheticAsync(HttpContext context)
    {
        long length = long.Parse((string)context.Request.RouteValues["length"]!, CultureInfo.InvariantCulture);
        long rate = long.Parse((string)context.Request.RouteValues["rate"]!, CultureInfo.InvariantCulture);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long first = 0;
        long last = length - 1;
        string range = context.Request.Headers.Range.ToString();
        context.Response.Headers.ETag = "\"synthetic\"";
        context.Response.Headers.AcceptRanges = "bytes";
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            string[] ends = range["bytes=".Length..].Split('-');
            first = long.Parse(ends[0], CultureInfo.InvariantCulture);
            last = ends[1].Length > 0 ? Math.Min(last, long.Parse(ends[1], CultureInfo.InvariantCulture)) : last;
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {first}-{last}/{length}";
        }

        context.Response.ContentLength = last - first + 1;
        for (long at = first; at <= last && !context.RequestAborted.IsCancellationRequested;)
        {
            int offset = (int)(at % Block.Length);
            int count = (int)Math.Min(Block.Length - offset, last - at + 1);
            await context.Response.Body.WriteAsync(Block.AsMemory(offset, count), context.RequestAborted);
            at += count;
            TimeSpan due = rate > 0 ? TimeSpan.FromSeconds((at - first) / (double)rate) : TimeSpan.Zero;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, context.RequestAborted);
            }
        }
    }
}
