using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// A real Kestrel origin on 127.0.0.1 with endpoints that misbehave on purpose. Each endpoint takes a key, so every
/// test has its own request counter and tests can run side by side.
/// </summary>
public sealed partial class OriginServer : IAsyncDisposable
{
    public const int FileSize = 3 * 1024 * 1024 + 12345;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private readonly ConcurrentDictionary<string, int> _pathActive = new();
    private readonly ConcurrentDictionary<string, string> _authorization = new();
    private readonly ConcurrentDictionary<string, int> _versions = new();
    private readonly ConcurrentDictionary<string, byte[]> _files = new();
    private readonly ConcurrentDictionary<string, string> _reports = new();
    private readonly ConcurrentDictionary<string, long> _pathBytes = new();
    private readonly ConcurrentQueue<(string Path, string Range, long Sent)> _requests = new();
    private int _peakActive;
    private int _connectionsOpened;
    private int _notModified;
    private int _peakConnections;

    public OriginServer()
        : this(sendBufferBytes: 0)
    {
    }

    /// <param name="sendBufferBytes">The kernel send buffer of every accepted socket (they inherit the listening
    /// socket's); 0 leaves it to the kernel's autotuning.</param>
    private OriginServer(int sendBufferBytes)
    {
        Content = TestData.Bytes(FileSize, seed: 1);
        ContentV2 = TestData.Bytes(FileSize, seed: 2);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (sendBufferBytes > 0)
        {
            builder.WebHost.UseSockets(o => o.CreateBoundListenSocket = endpoint =>
            {
                Socket socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                socket.SendBufferSize = sendBufferBytes;
                return socket;
            });
        }

        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref _connectionsOpened);
            ConnectionOpened(connection);
            try
            {
                await next(connection);
            }
            finally
            {
                ConnectionEnded(connection);
            }
        })));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            RequestStarted(context);
            _hits.AddOrUpdate(context.Request.Path.Value!, 1, (_, n) => n + 1);
            _authorization[context.Request.Path.Value!] = context.Request.Headers.Authorization.ToString();
            string path = context.Request.Path.Value!;
            Arrival(path).TrySetResult();
            _pathActive.AddOrUpdate(path, 1, (_, n) => n + 1);
            var counting = new CountingStream(context.Response.Body, n => _pathBytes.AddOrUpdate(path, n, (_, total) => total + n));
            context.Response.Body = counting;
            try
            {
                await next(context);
            }
            finally
            {
                _requests.Enqueue((path, context.Request.Headers.Range.ToString(), counting.Count));
                _pathActive.AddOrUpdate(path, 0, (_, n) => n - 1);
                RequestEnded(context);
            }
        });
        MapEndpoints();
        _app.StartAsync().GetAwaiter().GetResult();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>
    /// An origin whose sockets keep a fixed, small send buffer, so what it counts as sent is what the client's kernel
    /// took, give or take that buffer, instead of the megabytes Linux autotunes a fast sender's buffer to.
    /// </summary>
    public static OriginServer WithSendBuffer(int bytes) => new(bytes);

    public byte[] Content { get; }

    public byte[] ContentV2 { get; }

    /// <summary>TCP connections accepted since the server started.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Every finished request to a path: its Range header and the body bytes sent, in order of ending.</summary>
    public string RequestLog(string path) => string.Join("\n", _requests.Where(r => r.Path == path).Select(r => $"{r.Range} -> {r.Sent}"));

    /// <summary>Body bytes sent for one path (all its requests), e.g. "/slow/100000/KEY".</summary>
    /// <summary>Each ended response for the path: where its range began (0 without one) and how many bytes it sent.</summary>
    public IReadOnlyList<(long Start, long Sent)> ResponsesFor(string path) => _requests
        .Where(r => r.Path == (path.StartsWith('/') ? path : "/" + path))
        .Select(r => (r.Range.StartsWith("bytes=", StringComparison.Ordinal) ? long.Parse(r.Range[6..r.Range.IndexOf('-')], System.Globalization.CultureInfo.InvariantCulture) : 0L, r.Sent))
        .ToList();

    public long BodyBytesSentFor(string path) => _pathBytes.TryGetValue(path.StartsWith('/') ? path : "/" + path, out long n) ? n : 0;

    /// <summary>
    /// Waits until no response for the path is being written. A client that has its bytes may still have abandoned
    /// responses open (a connection cut after its range was taken over), whose writes keep counting until the origin
    /// notices the abort; a count taken before then can still grow.
    /// </summary>
    public async Task<bool> QuietAsync(string path, TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        while (ActiveRequestsFor(path) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }

    /// <summary>Requests for one path being answered now.</summary>
    public int ActiveRequestsFor(string path) => _pathActive.TryGetValue(path.StartsWith('/') ? path : "/" + path, out int n) ? n : 0;

    /// <summary>How many 304 answers the origin gave.</summary>
    public int NotModifiedCount => Volatile.Read(ref _notModified);

    internal void CountNotModified() => Interlocked.Increment(ref _notModified);

    public Uri Url(string relative) => new(BaseUri, relative);

    public int Hits(string path) => _hits.TryGetValue(path.StartsWith('/') ? path : "/" + path, out int n) ? n : 0;

    public string? AuthorizationSeen(string path) => _authorization.TryGetValue(path, out string? v) ? v : null;

    /// <summary>Serves <paramref name="content"/> at /media/{rate}/{name}, each response throttled to rate bytes/s.</summary>
    public void AddFile(string name, byte[] content) => _files[name] = content;

    /// <summary>Serves <paramref name="html"/> at /page/{name}.</summary>
    public void AddPage(string name, string html) => _files["page:" + name] = System.Text.Encoding.UTF8.GetBytes(html);

    /// <summary>What a page reported through /report/{key}?{query}, if it did.</summary>
    public string? Report(string key) => _reports.TryGetValue(key, out string? v) ? v : null;

    /// <summary>Makes /versioned/{key} serve the second version of the content, with a new ETag.</summary>
    public void SetVersion(string key, int version) => _versions[key] = version;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private int Hit(HttpContext context) => _hits.TryGetValue(context.Request.Path.Value!, out int n) ? n : 0;

    private void MapEndpoints()
    {
        var good = new ServeOptions { OnNotModified = CountNotModified };
        _app.MapGet("/file/{key}", c => RangeResponder.ServeAsync(c, Content, good));
        _app.MapGet("/slow/{rate:long}/{key}", c => RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = long.Parse((string)c.Request.RouteValues["rate"]!) }));
        _app.MapGet("/cut/{key}", c => RangeResponder.ServeAsync(c, Content, good with { AbortAfter = 200_000 }));
        _app.MapGet("/503/{key}", c =>
        {
            if (Hit(c) <= 2)
            {
                c.Response.StatusCode = 503;
                c.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            return RangeResponder.ServeAsync(c, Content, good);
        });
        _app.MapGet("/429/{key}", c =>
        {
            if (Hit(c) <= 2)
            {
                c.Response.StatusCode = 429;
                return Task.CompletedTask;
            }

            return RangeResponder.ServeAsync(c, Content, good);
        });
        _app.MapGet("/norange/{key}", c => RangeResponder.ServeAsync(c, Content, good with { HonourRange = false }));
        _app.MapGet("/badrange/{key}", c => RangeResponder.ServeAsync(c, Content, good with { ContentRangeShift = 100 }));
        _app.MapGet("/changing/{key}", c => Hit(c) <= 2
            ? RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = 4_000_000 })
            : RangeResponder.ServeAsync(c, ContentV2, good with { ETag = "\"v2\"", LastModified = good.LastModified!.Value.AddHours(1) }));
        _app.MapGet("/nolength/{key}", c => RangeResponder.ServeAsync(c, Content, good with { HonourRange = false, SendContentLength = false }));
        _app.MapGet("/stall/{key}", c => RangeResponder.ServeAsync(c, Content, Hit(c) <= 1 ? good with { StallAfter = 100_000 } : good));
        _app.MapGet("/redirect/{n:int}/{key}", c =>
        {
            int n = int.Parse((string)c.Request.RouteValues["n"]!);
            string key = (string)c.Request.RouteValues["key"]!;
            string next = n <= 1 ? $"/file/{key}" : $"/redirect/{n - 1}/{key}";
            c.Response.StatusCode = n % 2 == 0 ? 302 : 307;
            c.Response.Headers.Location = n % 2 == 0 ? next : new Uri(BaseUri, next).AbsoluteUri;
            return Task.CompletedTask;
        });
        _app.MapGet("/to-other-host/{key}", c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = $"http://localhost:{BaseUri.Port}/file/{c.Request.RouteValues["key"]}";
            return Task.CompletedTask;
        });
        _app.MapGet("/traversal/{key}", c => RangeResponder.ServeAsync(c, Content, good with { ContentDisposition = "attachment; filename=\"../../escaped.bin\"" }));
        _app.MapGet("/utf8name/{key}", c => RangeResponder.ServeAsync(c, Content, good with { ContentDisposition = "attachment; filename=\"fallback.bin\"; filename*=UTF-8''na%C3%AFve%20%E2%82%AC.bin" }));
        _app.MapGet("/longer/{key}", c => RangeResponder.ServeAsync(c, Content, good with { HonourRange = false, ExtraContentLength = 100 }));
        _app.MapGet("/gzip/{key}", c => RangeResponder.ServeAsync(c, Content, good with { Gzip = true }));
        _app.MapGet("/status/{code:int}/{key}", c =>
        {
            c.Response.StatusCode = int.Parse((string)c.Request.RouteValues["code"]!);
            return Task.CompletedTask;
        });
        _app.MapGet("/versioned/{key}", c =>
        {
            bool second = _versions.TryGetValue((string)c.Request.RouteValues["key"]!, out int v) && v == 2;
            return second
                ? RangeResponder.ServeAsync(c, ContentV2, good with { ETag = "\"v2\"", BytesPerSecond = 2_000_000 })
                : RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = 2_000_000 });
        });
        _app.MapGet("/reset/{key}", c =>
        {
            c.Abort();
            return Task.CompletedTask;
        });
        _app.MapGet("/dup/{dir}/{name}", c => RangeResponder.ServeAsync(c, (string)c.Request.RouteValues["dir"]! == "a" ? Content : ContentV2, good));
        _app.MapGet("/image/{key}", c => RangeResponder.ServeAsync(c, Content, good with { ContentType = "image/png" }));
        _app.MapGet("/media/{rate:long}/{name}", c =>
        {
            byte[] content = _files[(string)c.Request.RouteValues["name"]!];
            string name = (string)c.Request.RouteValues["name"]!;
            string type = name.EndsWith(".webm", StringComparison.Ordinal) ? "video/webm" : "video/mp4";
            return RangeResponder.ServeAsync(c, content, good with { BytesPerSecond = long.Parse((string)c.Request.RouteValues["rate"]!), ContentType = type, ETag = "\"" + name + "\"" });
        });
        _app.MapGet("/page/{name}", async c =>
        {
            c.Response.ContentType = "text/html";
            await c.Response.Body.WriteAsync(_files["page:" + (string)c.Request.RouteValues["name"]!]);
        });
        _app.MapGet("/report/{key}", c =>
        {
            _reports[(string)c.Request.RouteValues["key"]!] = c.Request.QueryString.Value ?? string.Empty;
            c.Response.Headers.AccessControlAllowOrigin = "*";
            return Task.CompletedTask;
        });
        _app.MapGet("/empty/{key}", c => RangeResponder.ServeAsync(c, Array.Empty<byte>(), good));
        MapHttpSemantics(good);
        MapSignIn(good);
        MapSmallFiles(good);
        MapOverlap(good);
        MapExpiring(good);
        MapMirrors(good);
        MapSynthetic();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
