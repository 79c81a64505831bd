using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// Small files, as a long URL list holds them, one whose body the test holds back half-way, and groups of files that
/// all wait for the test before answering.
/// </summary>
public sealed partial class OriginServer
{
    public const int SmallFileSize = 24 * 1024;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _held = new();
    private byte[]? _smallContent;

    public byte[] SmallContent => _smallContent ??= TestData.Bytes(SmallFileSize, seed: 7);

    /// <summary>Lets the held response of <paramref name="key"/> send its second half, or a held group answer.</summary>
    public void ReleaseHeld(string key) => Gate(key).TrySetResult();

    private TaskCompletionSource Gate(string key) => _held.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private void MapSmallFiles(ServeOptions good)
    {
        _app.MapGet("/small/{key}", c => RangeResponder.ServeAsync(c, SmallContent, good));

        // One response, no ranges offered: the first half at once, the rest when the test calls ReleaseHeld.
        _app.MapGet("/small-held/{key}", async c =>
        {
            string key = (string)c.Request.RouteValues["key"]!;
            byte[] body = SmallContent;
            c.Response.ContentLength = body.Length;
            c.Response.ContentType = "application/octet-stream";
            await c.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), c.RequestAborted);
            await c.Response.Body.FlushAsync(c.RequestAborted);
            await Gate(key).Task.WaitAsync(TimeSpan.FromSeconds(60), c.RequestAborted);
            await c.Response.Body.WriteAsync(body.AsMemory(body.Length / 2), c.RequestAborted);
        });

        // Any file of a group: nothing is answered until the test calls ReleaseHeld(group); then all answer at once.
        _app.MapGet("/held-group/{group}/{name}", async c =>
        {
            await Gate((string)c.Request.RouteValues["group"]!).Task.WaitAsync(TimeSpan.FromSeconds(60), c.RequestAborted);
            await RangeResponder.ServeAsync(c, SmallContent, good);
        });
    }
}
