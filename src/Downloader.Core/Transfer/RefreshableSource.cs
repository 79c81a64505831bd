using System;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;

namespace Downloader.Core.Transfer;

/// <summary>
/// Where one download's requests go now, and how that changes when the URL expires part-way: the
/// <see cref="IUrlRefresher"/> is asked for a new one, within bounds (a different absolute http(s) URL, at most
/// <see cref="DownloadOptions.MaxUrlRefreshes"/> per item). Owned by the download, so it lasts across restarts.
/// </summary>
/// <remarks>
/// The rule for many connections: one refresh at a time per download. The first connection refused starts it;
/// a connection refused while it runs waits for the same result; a connection refused for a URL that is no longer
/// current (its request went out before the refresh finished) just retries with the current one, without asking
/// again. A failed refresh stays failed, so every connection fails with the same error; a cancelled one (a pause)
/// may be asked again.
/// </remarks>
internal sealed class RefreshableSource
{
    private readonly object _gate = new();
    private readonly IUrlRefresher? _refresher;
    private readonly int _limit;
    private readonly Func<string?> _path;
    private Uri _current;
    private Uri? _refreshed;
    private Task<Uri>? _refresh;
    private int _refreshes;

    public RefreshableSource(Uri original, IUrlRefresher? refresher, int limit, Func<string?> path)
    {
        Original = original;
        _current = original;
        _refresher = refresher;
        _limit = limit;
        _path = path;
    }

    public Uri Original { get; }

    /// <summary>The URL requests go to now. Read on every request and read, so published, not locked.</summary>
    public Uri Current => Volatile.Read(ref _current);

    /// <summary>
    /// What a probe asks: the last refreshed URL, else the original one (whose redirects a probe follows afresh).
    /// A restart after a refresh (the new URL serves a changed file) must not go back to the expired URL.
    /// </summary>
    public Uri ProbeTarget
    {
        get
        {
            lock (_gate)
            {
                return _refreshed ?? Original;
            }
        }
    }

    /// <summary>How many times the URL was refreshed.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Whether a refusal with this status may be answered by a refresh: a hook is set, and the status says
    /// the URL (not the request) is no longer good.</summary>
    public bool CanRefresh(DownloadException error) =>
        _refresher != null && error.Kind == DownloadErrorKind.HttpStatus && error.StatusCode is 401 or 403 or 410;

    /// <summary>Takes the URL a probe ended at (after its redirects) as the current one.</summary>
    public void Adopt(Uri uri)
    {
        lock (_gate)
        {
            Volatile.Write(ref _current, uri);
        }
    }

    /// <summary>
    /// The URL to retry with after <paramref name="refused"/> was refused with <paramref name="status"/>; throws a
    /// <see cref="DownloadException"/> when no acceptable URL comes.
    /// </summary>
    public Task<Uri> RefreshAsync(Uri refused, int status, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refresh != null && (!_refresh.IsCompleted || _refresh.IsFaulted))
            {
                return _refresh;
            }

            if (_current != refused)
            {
                return Task.FromResult(_current);
            }

            _refresh = RunAsync(refused, status, cancellationToken);
            return _refresh;
        }
    }

    private async Task<Uri> RunAsync(Uri refused, int status, CancellationToken cancellationToken)
    {
        // Off the caller's lock and stack: the hook may take its time (a command, a script on the pipeline thread).
        await Task.Yield();
        string what = UserInfo.Redact(Original);
        int attempt = Interlocked.Increment(ref _refreshes);
        if (attempt > _limit)
        {
            throw Failure(status, $"{what}: HTTP {status} after {_limit} URL refreshes; giving up (the limit is {_limit} per item).");
        }

        Uri? next;
        try
        {
            next = await _refresher!.RefreshAsync(new RefreshRequest(Original, refused, status, attempt, _path()), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _refreshes);
            throw;
        }
        catch (Exception e) when (e is not DownloadException)
        {
            throw Failure(status, $"{what}: HTTP {status}, and refreshing the URL failed: {UserInfo.Redact(e.Message)}", e);
        }

        if (next == null || string.IsNullOrWhiteSpace(next.OriginalString))
        {
            throw Failure(status, $"{what}: HTTP {status}, and the URL refresh returned no URL.");
        }

        if (!next.IsAbsoluteUri || (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps))
        {
            throw Failure(status, $"{what}: HTTP {status}, and the URL refresh returned '{UserInfo.Redact(next.OriginalString)}', which is not an absolute http(s) URL.");
        }

        if (next == refused)
        {
            throw Failure(status, $"{what}: HTTP {status}, and the URL refresh returned the same URL ({UserInfo.Redact(next)}).");
        }

        lock (_gate)
        {
            Volatile.Write(ref _current, next);
            _refreshed = next;
        }

        return next;
    }

    private static DownloadException Failure(int status, string message, Exception? inner = null) =>
        new(DownloadErrorKind.HttpStatus, message, inner) { StatusCode = status };
}
