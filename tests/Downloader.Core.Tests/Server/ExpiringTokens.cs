using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// The tokens of one signed-URL endpoint key (/expiring/{status}/{key}?token=…), like an S3 or CDN signature: a
/// token is good until a budget of bytes has been served under it; from then on it answers the endpoint's status
/// (403 or 410), and responses still running under it are cut, as a CDN that revokes a token does. The first token
/// ("t1") expires after half the file; tokens issued later last forever, unless <see cref="EveryTokenExpires"/>.
/// </summary>
public sealed class ExpiringTokens
{
    private readonly ConcurrentDictionary<string, long> _served = new();
    private readonly ConcurrentDictionary<string, bool> _expired = new();
    private int _issued;

    public ExpiringTokens()
    {
        Issue();
    }

    /// <summary>Bytes a token may serve before it expires; the first token's budget is half the file.</summary>
    public long FirstBudget { get; set; } = OriginServer.FileSize / 2;

    /// <summary>When set, every later token also expires, after this many bytes (for "too many refreshes").</summary>
    public long? EveryTokenExpires { get; set; }

    /// <summary>Tokens issued so far.</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>A new good token: "t2", "t3"…</summary>
    public string Issue()
    {
        string token = "t" + Interlocked.Increment(ref _issued);
        _served[token] = 0;
        return token;
    }

    /// <summary>Body bytes the origin sent under <paramref name="token"/>.</summary>
    public long ServedUnder(string token) => _served.TryGetValue(token, out long n) ? n : 0;

    /// <summary>Whether a request with this token is answered now (an unknown or expired token is refused).</summary>
    public bool IsGood(string token) => _served.ContainsKey(token) && !_expired.ContainsKey(token);

    /// <summary>Counts bytes served under a token, and expires it once its budget is spent.</summary>
    public void Count(string token, long bytes)
    {
        long total = _served.AddOrUpdate(token, bytes, (_, n) => n + bytes);
        long? budget = token == "t1" ? FirstBudget : EveryTokenExpires;
        if (budget is long limit && total >= limit)
        {
            _expired[token] = true;
        }
    }

    /// <summary>A response body that counts under its token and is cut once that token has expired.</summary>
    internal Stream Wrap(HttpContext context, string token) => new ExpiringBody(context.Response.Body, this, token, context);

    private sealed class ExpiringBody : WriteOnlyStream
    {
        private readonly ExpiringTokens _tokens;
        private readonly string _token;
        private readonly HttpContext _context;

        public ExpiringBody(Stream inner, ExpiringTokens tokens, string token, HttpContext context)
            : base(inner)
        {
            _tokens = tokens;
            _token = token;
            _context = context;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_tokens.IsGood(_token))
            {
                // Revoked while this response ran: cut it, as the client would see from a real CDN.
                await Inner.FlushAsync(cancellationToken);
                _context.Abort();
                throw new OperationCanceledException("token expired");
            }

            await Inner.WriteAsync(buffer, cancellationToken);
            _tokens.Count(_token, buffer.Length);
        }
    }
}
