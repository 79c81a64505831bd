using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Http;

/// <summary>
/// Sends one request and follows redirects itself, with a limit, so that credentials (from the options or from the
/// URL's <c>user:password@</c>) and the Authorization and Cookie headers go to the original origin only (same
/// scheme, host and port), and so that a redirect from https to http is refused: the content would arrive in clear.
/// </summary>
internal sealed class RequestSender
{
    private static readonly Version Http2 = new(2, 0);
    private readonly ConnectionLanes _lanes;
    private readonly DownloadOptions _options;
    private readonly Uri _originalUri;
    private readonly NetworkCredential? _credential;

    public RequestSender(ConnectionLanes lanes, DownloadOptions options, Uri originalUri)
    {
        _lanes = lanes;
        _options = options;
        _originalUri = originalUri;
        _credential = options.Credential ?? UserInfo.Credential(originalUri) ?? options.Network.Netrc?.Find(originalUri.Host);
    }

    /// <summary>How the front end names the parameters that supply credentials, for a 401 or 407 error.</summary>
    public CredentialHints Hints => _options.Network.EffectiveHints;

    /// <summary>Sends a GET for <paramref name="uri"/>; the caller owns the response and must check its status.</summary>
    /// <param name="rangeStart">First byte wanted, or null for the whole entity.</param>
    /// <param name="rangeEnd">Exclusive end, or null for "to the end".</param>
    /// <param name="ifModifiedSince">Makes the request conditional: an unchanged entity comes back as 304.</param>
    /// <param name="lane">The connection's lane over HTTP/2 (its own TCP connection); 0 for the shared pool.</param>
    public async Task<(HttpResponseMessage Response, Uri FinalUri)> GetAsync(
        Uri uri, long? rangeStart, long? rangeEnd, string? ifRange, CancellationToken cancellationToken, DateTimeOffset? ifModifiedSince = null, int lane = 0)
    {
        Uri current = uri;
        for (int hop = 0; hop <= _options.MaxRedirects; hop++)
        {
            // A paused or stopped download sends nothing more, not even a request the server would start answering.
            cancellationToken.ThrowIfCancellationRequested();
            using HttpRequestMessage request = BuildRequest(current, rangeStart, rangeEnd, ifRange);
            request.Headers.IfModifiedSince = ifModifiedSince;
            HttpResponseMessage response = await SendWithTimeoutAsync(_lanes.For(lane), request, current, cancellationToken).ConfigureAwait(false);
            CookieJar.Keep(_options.Network.Cookies, current, response);
            int status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location != null)
            {
                Uri next = response.Headers.Location.IsAbsoluteUri
                    ? response.Headers.Location
                    : new Uri(current, response.Headers.Location);
                response.Dispose();
                if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                {
                    throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{UserInfo.Redact(uri)}: redirected to unsupported scheme '{next.Scheme}'.");
                }

                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !_options.AllowInsecureRedirect)
                {
                    throw new DownloadException(
                        DownloadErrorKind.InsecureRedirect,
                        $"{UserInfo.Redact(uri)}: refused a redirect from https to http ({UserInfo.Redact(next)}): the content would travel unencrypted.");
                }

                current = next;
                continue;
            }

            return (response, current);
        }

        throw new DownloadException(DownloadErrorKind.InvalidRequest, $"{UserInfo.Redact(uri)}: more than {_options.MaxRedirects} redirects.");
    }

    private async Task<HttpResponseMessage> SendWithTimeoutAsync(HttpClient client, HttpRequestMessage request, Uri uri, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ResponseTimeout);

        // The caller's identity answers a Negotiate challenge from the origin the user named only.
        DefaultIdentity.AllowedHere = _options.Network.UseDefaultCredentials && SameOrigin(uri);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (AuthFailures.TunnelStatus(e) is int tunnel)
        {
            // An https request through a proxy that refused the CONNECT: no response to read, so no retry helps.
            throw new DownloadException(
                DownloadErrorKind.HttpStatus,
                $"{UserInfo.Redact(uri)}: the proxy refused the tunnel with HTTP {tunnel}.{AuthFailures.ExplainTunnel(tunnel, Hints)}",
                e)
            { StatusCode = tunnel };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DownloadException(
                DownloadErrorKind.Timeout,
                $"{UserInfo.Redact(uri)}: no response within {_options.ResponseTimeout.TotalSeconds:0.#} s.")
            { IsTransient = true };
        }
    }

    private bool SameOrigin(Uri uri) =>
        Uri.Compare(uri, _originalUri, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    private HttpRequestMessage BuildRequest(Uri uri, long? rangeStart, long? rangeEnd, string? ifRange)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, UserInfo.Strip(uri))
        {
            // HTTP/2 where TLS negotiates it (ALPN), else HTTP/1.1: the default policy takes the version asked or lower.
            Version = HttpClientBuilder.Http2Available ? Http2 : HttpVersion.Version11,
        };
        bool sameHost = SameOrigin(uri);
        foreach (var header in _options.Headers)
        {
            if (!sameHost && CredentialHeaders.IsCredential(header.Key))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (!request.Headers.Contains("User-Agent"))
        {
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        }

        if (sameHost && _options.Network.BearerToken != null && request.Headers.Authorization == null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _options.Network.BearerToken);
        }

        if (sameHost && _credential != null && request.Headers.Authorization == null)
        {
            string pair = _credential.UserName + ":" + _credential.Password;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }

        // Cookies follow their own domain and path rules, not the origin rule: a redirect may carry them.
        CookieJar.Send(_options.Network.Cookies, uri, request);

        // Byte ranges only make sense over the unencoded entity.
        request.Headers.AcceptEncoding.Clear();
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "identity");
        if (rangeStart != null)
        {
            string last = rangeEnd == null ? string.Empty : (rangeEnd.Value - 1).ToString(CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation("Range", "bytes=" + rangeStart.Value.ToString(CultureInfo.InvariantCulture) + "-" + last);
            if (ifRange != null)
            {
                request.Headers.TryAddWithoutValidation("If-Range", ifRange);
            }
        }

        return request;
    }
}
