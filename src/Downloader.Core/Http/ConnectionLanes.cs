using System;
using System.Collections.Concurrent;
using System.Net.Http;

namespace Downloader.Core.Http;

/// <summary>
/// HTTP/2 puts every request to an origin on one TCP connection, but servers and networks limit speed per
/// connection, which is why a download is split at all. So a download over HTTP/2 gives each of its connections a
/// lane: an HTTP client with a pool of its own, so N planned connections are N TCP connections. Lane 0 is the shared
/// client (keep-alive across a batch); the others are made on first use and live as long as the download client.
/// Over HTTP/1.1 every request uses lane 0, whose pool already opens one TCP connection per concurrent request.
/// </summary>
internal sealed class ConnectionLanes : IDisposable
{
    private readonly HttpClient _shared;
    private readonly Func<HttpClient> _create;
    private readonly ConcurrentDictionary<int, HttpClient> _lanes = new();

    public ConnectionLanes(HttpClient shared, Func<HttpClient> create)
    {
        _shared = shared;
        _create = create;
    }

    public HttpClient For(int lane) => lane <= 0 ? _shared : _lanes.GetOrAdd(lane, _ => _create());

    public void Dispose()
    {
        foreach (HttpClient client in _lanes.Values)
        {
            client.Dispose();
        }
    }
}
