using Microsoft.AspNetCore.Builder;

namespace Downloader.Core.Tests.Server;

/// <summary>Named files at a chosen rate: what overlapping runs, repairs and duplicate entries download.</summary>
public sealed partial class OriginServer
{
    private void MapOverlap(ServeOptions good)
    {
        // A file added with AddFile, served by name at the given rate per connection, with ranges and a date.
        _app.MapGet("/named/{rate:long}/{name}", c => RangeResponder.ServeAsync(
            c, _files[(string)c.Request.RouteValues["name"]!], good with { BytesPerSecond = long.Parse((string)c.Request.RouteValues["rate"]!) }));
    }
}
