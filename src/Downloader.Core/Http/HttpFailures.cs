using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Http;

/// <summary>Turns whatever the network threw into a <see cref="DownloadException"/> that says whether to retry.</summary>
internal static class HttpFailures
{
    private static readonly int[] TransientStatuses = { 408, 429, 500, 502, 503, 504 };

    public static DownloadException FromStatus(HttpResponseMessage response, Uri uri, CredentialHints? hints = null)
    {
        int status = (int)response.StatusCode;
        bool transient = Array.IndexOf(TransientStatuses, status) >= 0;
        string why = status is 401 or 407 ? AuthFailures.Explain(response, hints ?? CredentialHints.PowerShell) : string.Empty;
        return new DownloadException(
            DownloadErrorKind.HttpStatus,
            string.Format(CultureInfo.InvariantCulture, "{0}: HTTP {1} {2}.{3}", UserInfo.Redact(uri), status, response.ReasonPhrase, why))
        {
            StatusCode = status,
            IsTransient = transient,
            RetryAfter = transient ? RetryAfter(response) : null,
        };
    }

    /// <summary>
    /// Runs one attempt of a network operation: what it throws comes out as a classified
    /// <see cref="DownloadException"/>, or as <see cref="OperationCanceledException"/> once the token was cancelled
    /// (cancelling disposes responses, which surfaces as all sorts of I/O errors).
    /// </summary>
    public static async Task<T> AttemptAsync<T>(Uri uri, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw Classify(e, uri);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public static DownloadException Classify(Exception exception, Uri uri)
    {
        switch (exception)
        {
            case DownloadException download:
                return download;
            case HttpRequestException http when FindInner<AuthenticationException>(http) != null:
                return new DownloadException(DownloadErrorKind.Tls, $"{uri}: TLS failure: {FindInner<AuthenticationException>(http)!.Message}", exception);
            case HttpRequestException http:
                SocketException? socket = FindInner<SocketException>(http);
                string cause = socket != null ? socket.SocketErrorCode.ToString() : Innermost(http).Message;
                return new DownloadException(DownloadErrorKind.Network, $"{uri}: connection failed: {cause}.", exception) { IsTransient = true };
            case IOException or ObjectDisposedException:
                return new DownloadException(DownloadErrorKind.Network, $"{uri}: connection lost: {Innermost(exception).Message}", exception) { IsTransient = true };
            case OperationCanceledException:
                return new DownloadException(DownloadErrorKind.Timeout, $"{uri}: the request timed out.", exception) { IsTransient = true };
            default:
                return new DownloadException(DownloadErrorKind.Unknown, $"{uri}: {exception.Message}", exception);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header == null)
        {
            return null;
        }

        if (header.Delta != null)
        {
            return header.Delta;
        }

        if (header.Date != null)
        {
            TimeSpan wait = header.Date.Value - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static T? FindInner<T>(Exception exception)
        where T : Exception
    {
        for (Exception? e = exception; e != null; e = e.InnerException)
        {
            if (e is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception exception)
    {
        Exception e = exception;
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
