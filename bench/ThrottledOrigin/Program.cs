using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

// usage: ThrottledOrigin ROOT PORT BYTES_PER_SECOND_PER_CONNECTION [MODE]
// MODE says how some TCP connections misbehave, by the order they were accepted (0, 1, 2, ...):
//   none      every connection at the rate
//   slow4     every 4th connection 10x slower from its first byte
//   drop4     every 4th connection drops to 100 KiB/s after 4 MiB
//   silent8   every 8th connection goes silent after 2 MiB, its socket left open
string root = args[0];
int port = int.Parse(args[1]);
long rate = long.Parse(args[2]);
string mode = args.Length > 3 ? args[3] : "none";
long sent = 0;
int connections = 0;

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
WebApplication app = builder.Build();
app.MapGet("/bytes-sent", () => Interlocked.Read(ref sent).ToString());
app.MapGet("/{name}", async (HttpContext c, string name) =>
{
    string path = Path.Combine(root, Path.GetFileName(name));
    if (!File.Exists(path))
    {
        c.Response.StatusCode = 404;
        return;
    }

    long length = new FileInfo(path).Length;
    long start = 0, end = length - 1;
    c.Response.Headers.AcceptRanges = "bytes";
    c.Response.Headers.ETag = $"\"{File.GetLastWriteTimeUtc(path).Ticks}\"";
    c.Response.ContentType = name.EndsWith(".mp4") ? "video/mp4" : "application/octet-stream";
    string range = c.Request.Headers.Range.ToString();
    if (range.StartsWith("bytes="))
    {
        string[] p = range[6..].Split('-');
        start = long.Parse(p[0]);
        if (p[1].Length > 0)
        {
            end = Math.Min(long.Parse(p[1]), length - 1);
        }

        c.Response.StatusCode = 206;
        c.Response.Headers.ContentRange = $"bytes {start}-{end}/{length}";
    }

    c.Response.ContentLength = end - start + 1;

    // One clock per TCP connection, kept across its keep-alive requests: a connection never beats the rate.
    IDictionary<object, object?> items = c.Features.Get<IConnectionItemsFeature>()!.Items;
    if (!items.TryGetValue("clock", out object? state))
    {
        state = new ConnectionClock(Interlocked.Increment(ref connections) - 1, mode);
        items["clock"] = state;
    }

    var clock = (ConnectionClock)state!;
    using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    file.Seek(start, SeekOrigin.Begin);
    var buffer = new byte[16 * 1024];
    long remaining = end - start + 1;
    try
    {
        while (remaining > 0)
        {
            int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)));
            if (clock.Silent)
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }

            double wait = clock.Reserve(n, rate);
            if (wait > 0.001)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait), c.RequestAborted);
            }

            await c.Response.Body.WriteAsync(buffer.AsMemory(0, n), c.RequestAborted);
            Interlocked.Add(ref sent, n);
            remaining -= n;
        }
    }
    catch (OperationCanceledException)
    {
    }
});
app.Run();

internal sealed class ConnectionClock
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly int _index;
    private readonly string _mode;
    private double _next;
    private long _bytes;

    public ConnectionClock(int index, string mode)
    {
        _index = index;
        _mode = mode;
    }

    /// <summary>Whether this connection now sends nothing more (silent8, after its 2 MiB).</summary>
    public bool Silent => _mode == "silent8" && _index % 8 == 7 && Interlocked.Read(ref _bytes) >= 2L << 20;

    private long RateFor(long rate) => _mode switch
    {
        "slow4" when _index % 4 == 3 => rate / 10,
        "drop4" when _index % 4 == 3 && _bytes >= 4L << 20 => 100 * 1024,
        _ => rate,
    };

    /// <summary>
    /// Books the next <paramref name="bytes"/> on this connection and says how long to wait before sending them.
    /// Idle time is not banked as credit, so there is no burst at the start of a request.
    /// </summary>
    public double Reserve(int bytes, long rate)
    {
        lock (this)
        {
            double now = _watch.Elapsed.TotalSeconds;
            double start = Math.Max(_next, now);
            _next = start + ((double)bytes / RateFor(rate));
            _bytes += bytes;
            return start - now;
        }
    }
}
