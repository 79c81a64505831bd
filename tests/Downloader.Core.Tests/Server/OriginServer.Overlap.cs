using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;

namespace Downloader.Core.Tests.Server;

/// <summary>Named files at a chosen rate: what overlapping runs, repairs and duplicate entries download.</summary>
public sealed partial class OriginServer
{
    private readonly ConcurrentDictionary<string, long> _paces = new();

    /// <summary>The rate per connection of /paced/{name} from the next response on.</summary>
    public void Pace(string name, long bytesPerSecond) => _paces[name] = bytesPerSecond;

    private void MapOverlap(ServeOptions good)
    {
        // A file added with AddFile, served by name at the given rate per connection, with ranges and a date.
        _app.MapGet("/named/{rate:long}/{name}", c => RangeResponder.ServeAsync(
            c, _files[(string)c.Request.RouteValues["name"]!], good with { BytesPerSecond = long.Parse((string)c.Request.RouteValues["rate"]!) }));

        // The same at the rate the test last set with Pace: slow while it looks, fast once it lets the file go.
        _app.MapGet("/paced/{name}", c =>
        {
            string name = (string)c.Request.RouteValues["name"]!;
            return RangeResponder.ServeAsync(c, _files[name], good with { BytesPerSecond = _paces.GetValueOrDefault(name) });
        });
    }
}
