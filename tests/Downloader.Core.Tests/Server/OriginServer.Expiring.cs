using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>A signed-URL endpoint whose token expires part-way, for the URL-refresh tests.</summary>
public sealed partial class OriginServer
{
    private readonly ConcurrentDictionary<string, ExpiringTokens> _tokens = new();

    /// <summary>The tokens of /expiring/{status}/{key}; the first, "t1", is issued already.</summary>
    public ExpiringTokens Tokens(string key) => _tokens.GetOrAdd(key, _ => new ExpiringTokens());

    /// <summary>The signed URL of <paramref name="key"/> with <paramref name="token"/>, refused with <paramref name="status"/> once expired.</summary>
    public Uri SignedUrl(int status, string key, string token) => Url($"expiring/{status}/{key}?token={token}");

    /// <summary>The same, from a server that ignores Range (a single-stream download).</summary>
    public Uri SignedWholeUrl(int status, string key, string token) => Url($"expiring-whole/{status}/{key}?token={token}");

    private void MapExpiring(ServeOptions good)
    {
        _app.MapGet("/expiring/{status:int}/{key}", c => ServeSigned(c, good));
        _app.MapGet("/expiring-whole/{status:int}/{key}", c => ServeSigned(c, good with { HonourRange = false }));
    }

    private Task ServeSigned(HttpContext c, ServeOptions options)
    {
        {
            ExpiringTokens tokens = Tokens((string)c.Request.RouteValues["key"]!);
            string token = c.Request.Query["token"].ToString();
            if (!tokens.IsGood(token))
            {
                c.Response.StatusCode = int.Parse((string)c.Request.RouteValues["status"]!);
                return Task.CompletedTask;
            }

            c.Response.Body = tokens.Wrap(c, token);
            return RangeResponder.ServeAsync(c, Content, options with { BytesPerSecond = 4_000_000 });
        }
    }
}
