using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>Endpoints that act as mirrors gone wrong: one that dies mid-way, one that holds another size of the file.</summary>
public sealed partial class OriginServer
{
    /// <summary>How much shorter the file behind <c>/shorter/</c> is.</summary>
    public const int ShorterBy = 1000;

    private byte[]? _shorter;

    private void MapMirrors(ServeOptions good)
    {
        // Serves (at a rate, per connection) until about N body bytes left for this path in all, cutting the response
        // that crosses it; from then on every request is dropped at once, like a host that went away.
        _app.MapGet("/dies/{n:long}/{rate:long}/{key}", c =>
        {
            long left = long.Parse((string)c.Request.RouteValues["n"]!) - BodyBytesSentFor(c.Request.Path.Value!);
            if (left <= 0)
            {
                c.Abort();
                return Task.CompletedTask;
            }

            long rate = long.Parse((string)c.Request.RouteValues["rate"]!);
            return RangeResponder.ServeAsync(c, Content, good with { AbortAfter = left, BytesPerSecond = rate });
        });

        // The same bytes with validators of its own, as another server's copy has (slowly, so it gets its share).
        _app.MapGet("/own-validators/{key}", c => RangeResponder.ServeAsync(
            c, Content, good with { ETag = "\"mirror\"", LastModified = new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero), BytesPerSecond = 1_000_000 }));

        // Every response goes silent after 100,000 bytes, its socket left open (for 10 s): a mirror that hangs.
        _app.MapGet("/hangs/{key}", c => RangeResponder.ServeAsync(c, Content, good with { StallAfter = 100_000 }));

        // One of two sources of a file: every response holds after 100,000 bytes until another origin has been asked
        // for the same key too (SourceGate), then goes on at the rate.
        _app.MapGet("/paired/{rate:long}/{key}", c =>
        {
            Task bothAsked = SourceGate.Asked((string)c.Request.RouteValues["key"]!, this);
            long rate = long.Parse((string)c.Request.RouteValues["rate"]!);
            return RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = rate, HoldAfter = 100_000, HoldUntil = bothAsked });
        });

        // The same bytes, minus the last ShorterBy: a mirror with another size of the file.
        _app.MapGet("/shorter/{key}", c => RangeResponder.ServeAsync(c, _shorter ??= Content.AsSpan(0, Content.Length - ShorterBy).ToArray(), good));
    }
}
