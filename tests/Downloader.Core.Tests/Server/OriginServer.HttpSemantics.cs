using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>Endpoints for encodings, credentials and redirects: what real servers (Apache, nginx) do by default.</summary>
public sealed partial class OriginServer
{
    public const string AuthUser = "alice";
    public const string AuthPassword = "s3cr3t:pw";

    private byte[]? _gzipContent;

    /// <summary>A gzip file as stored on disk (a .tar.gz): the bytes the encoded endpoints serve.</summary>
    public byte[] GzipContent => _gzipContent ??= RangeResponder.Gzip(Content);

    private void MapHttpSemantics(ServeOptions good)
    {
        // Apache's stock "AddEncoding gzip .gz": a stored .gz labelled Content-Encoding: gzip, ranges over its bytes.
        _app.MapGet("/labelled-gz/{key}", c => RangeResponder.ServeAsync(c, GzipContent, good with { ContentEncoding = "gzip", ContentType = "application/x-tar" }));

        // The label on the first response only: the ranges that follow are another representation.
        _app.MapGet("/relabelled-gz/{key}", c => RangeResponder.ServeAsync(
            c, GzipContent, c.Request.Headers.Range.ToString().StartsWith("bytes=0-", StringComparison.Ordinal) ? good with { ContentEncoding = "gzip" } : good));

        // Found at first, slowly, then gone: a download that fails while it is being streamed.
        _app.MapGet("/vanishing/{key}", c => Hit(c) <= 1
            ? RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = 300_000 })
            : Status(c.Response, 404));

        // Throttled per connection; the second request goes silent after 256 KiB with its socket left open.
        _app.MapGet("/stall-one/{key}", c => RangeResponder.ServeAsync(
            c, Content, Hit(c) == 2 ? good with { BytesPerSecond = 1_000_000, StallAfter = 256 * 1024, StallFor = TimeSpan.FromSeconds(120) } : good with { BytesPerSecond = 1_000_000 }));

        // Accepts the connection and the request, and never answers.
        _app.MapGet("/hang/{key}", async c =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        });

        // Needs a plain header and a secret one (an API key), throttled so a test can interrupt it.
        _app.MapGet("/needs-headers/{key}", c =>
        {
            if (c.Request.Headers["X-Client"] != "downloader-test" || c.Request.Headers["X-Api-Key"] != "k3y-s3cret")
            {
                c.Response.StatusCode = 403;
                return Task.CompletedTask;
            }

            return RangeResponder.ServeAsync(c, Content, good with { BytesPerSecond = 1_000_000 });
        });

        // Basic auth required: 401 without the right credentials.
        _app.MapGet("/auth/{key}", c => IsAuthorized(c.Request)
            ? RangeResponder.ServeAsync(c, Content, good)
            : Unauthorized(c.Response));

        // Authenticated here, then sent to another host (localhost instead of 127.0.0.1) that must not see them.
        _app.MapGet("/auth-to-other-host/{key}", c =>
        {
            if (!IsAuthorized(c.Request))
            {
                return Unauthorized(c.Response);
            }

            c.Response.StatusCode = 302;
            c.Response.Headers.Location = $"http://localhost:{BaseUri.Port}/file/{c.Request.RouteValues["key"]}";
            return Task.CompletedTask;
        });
    }

    private static bool IsAuthorized(HttpRequest request) =>
        request.Headers.Authorization.ToString() ==
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(AuthUser + ":" + AuthPassword));

    private static Task Status(HttpResponse response, int code)
    {
        response.StatusCode = code;
        return Task.CompletedTask;
    }

    private static Task Unauthorized(HttpResponse response)
    {
        response.StatusCode = 401;
        response.Headers.WWWAuthenticate = "Basic realm=\"test\"";
        return Task.CompletedTask;
    }
}
