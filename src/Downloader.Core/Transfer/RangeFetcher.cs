using System;
using System.Buffers;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Planning;
using Downloader.Core.Probing;
using Downloader.Core.Storage;

namespace Downloader.Core.Transfer;

/// <summary>
/// One connection's work on one segment: request the bytes from where the segment stands, check that the server
/// sent exactly those bytes of the same version, and write them at their offset. A retry starts at the first byte
/// not yet written, never at the start of the range.
/// </summary>
internal sealed class RangeFetcher
{
    private readonly TransferContext _context;
    private readonly SegmentMap _map;
    private readonly IContentSink _part;
    private readonly Connection _connection;

    // The URL this connection's last request went to: a refusal refreshes only if it is still the current one.
    private Uri? _sentTo;

    /// <param name="connection">The connection it fetches on: its source, its lane, the probe's body if it has one.</param>
    public RangeFetcher(TransferContext context, SegmentMap map, IContentSink part, Connection connection)
    {
        _context = context;
        _map = map;
        _part = part;
        _connection = connection;
    }

    /// <summary>Where this connection's requests go (the URL or a mirror); the transfer sets it per segment.</summary>
    private Source? Source => _connection.Source;

    private Uri SourceUri => Source?.Uri ?? _context.Uri;

    public async Task FetchAsync(Segment segment, CancellationToken cancellationToken)
    {
        // Another connection may take over all this one has left (it went silent): then it stops waiting at once.
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, segment.Abandoned);

        // Polly's budget counts consecutive failures; an attempt that moved the segment forward earns a fresh one.
        while (true)
        {
            long before = segment.Position;
            DownloadException? refused = null;
            try
            {
                await _context.RetryAsync(
                    ct =>
                    {
                        // The probe's body serves the segment at byte 0, on its first attempt only.
                        HttpResponseMessage? response = _connection.TakeBody(segment.Claimed, out long bodyEnd);
                        return FetchOnceAsync(segment, response, bodyEnd, ct);
                    },
                    work.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (segment.Abandoned.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Taken over: what this connection wrote is kept, the rest is another's.
                return;
            }
            catch (DownloadException e) when (e.IsTransient && segment.Position > before && !cancellationToken.IsCancellationRequested)
            {
            }
            catch (DownloadException e) when (Source is not { IsPrimary: false } && _context.Source.CanRefresh(e) && !cancellationToken.IsCancellationRequested)
            {
                // The URL expired part-way: continue from where the segment stands, against a new URL. Only the
                // primary's URL is refreshed; a mirror that refuses is dropped like any failing mirror.
                refused = e;
            }

            if (refused != null)
            {
                // The download's token, not this segment's: other connections may be waiting for the same refresh.
                await _context.Source.RefreshAsync(_sentTo ?? _context.Uri, refused.StatusCode!.Value, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task<bool> FetchOnceAsync(Segment segment, HttpResponseMessage? initial, long initialEnd, CancellationToken cancellationToken) =>
        HttpFailures.AttemptAsync(SourceUri, async () =>
        {
            HttpResponseMessage? response = initial;
            _sentTo = _context.Uri;
            try
            {
                var sizer = new RequestSizer(_context.Options);
                long requestStart = segment.Claimed;
                long responseEnd = initialEnd;
                while (_map.Unclaimed(segment) > 0)
                {
                    if (response == null)
                    {
                        if (!_context.Limits.Allows(_connection.Lane))
                        {
                            // Shed (Set-Download, or the Background controller): the rest of the segment goes back.
                            return true;
                        }

                        requestStart = segment.Claimed;
                        responseEnd = requestStart + Math.Min(_map.Unclaimed(segment), sizer.NextSize);
                        _map.SetRequestEnd(segment, responseEnd);
                        sizer.Begin();
                        _sentTo = _context.Uri;
                        // A mirror is another server: its validators are its own, so If-Range is for the primary only.
                        bool mirror = Source is { IsPrimary: false };
                        long asked = Stopwatch.GetTimestamp();
                        (response, _) = await (Source?.Sender ?? _context.Sender)
                            .GetAsync(SourceUri, requestStart, responseEnd, mirror ? null : _context.IfRange, cancellationToken, lane: _context.UseLanes ? _connection.Lane : 0)
                            .ConfigureAwait(false);
                        _context.Limits.Latency.Add(TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - asked) / (double)Stopwatch.Frequency));
                        Validate(response, requestStart);
                    }

                    await CopyAsync(segment, response, responseEnd, cancellationToken).ConfigureAwait(false);
                    sizer.End(segment.Claimed - requestStart);
                    response.Dispose();
                    response = null;
                }

                return true;
            }
            finally
            {
                response?.Dispose();
            }
        }, cancellationToken);

    private void Validate(HttpResponseMessage response, long start)
    {
        int status = (int)response.StatusCode;
        string? etag = response.Headers.ETag?.ToString();
        Uri uri = SourceUri;
        bool otherVersion = Source is not { IsPrimary: false } && ((etag != null && _context.ETag != null && etag != _context.ETag) ||
            (_context.LastModified != null && response.Content.Headers.LastModified != null &&
             response.Content.Headers.LastModified != _context.LastModified));
        if (status == 200 || (status == 206 && otherVersion))
        {
            // With If-Range, a 200 means the file changed; without a changed validator, the server ignores Range.
            throw otherVersion
                ? new DownloadException(DownloadErrorKind.RemoteChanged, $"{uri}: the remote file changed during the download.")
                : new DownloadException(DownloadErrorKind.RangeNotHonoured, $"{uri}: the server ignored a range request.");
        }

        if (status != 206)
        {
            throw HttpFailures.FromStatus(response, uri, _context.Options.Network.EffectiveHints);
        }

        string? encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        if (!string.Equals(encoding ?? string.Empty, _context.ContentEncoding ?? string.Empty, StringComparison.OrdinalIgnoreCase))
        {
            // Bytes of two representations (say gzip and identity) must never be spliced into one file.
            throw new DownloadException(
                DownloadErrorKind.RangeNotHonoured,
                $"{uri}: a range came with Content-Encoding '{encoding ?? "none"}', the first response with '{_context.ContentEncoding ?? "none"}'.");
        }

        if (!ContentRange.TryParse(Prober.ContentRangeHeader(response), out ContentRange range) ||
            range.First != start || (range.Total >= 0 && range.Total != _context.Length) || (range.Total < 0 && Source is { IsPrimary: false }))
        {
            throw new DownloadException(
                DownloadErrorKind.RangeNotHonoured,
                $"{uri}: asked for bytes from {start} but the server sent '{Prober.ContentRangeHeader(response)}'.");
        }
    }

    /// <summary>Copies the body into the part file until the segment is done or the response's last byte arrived.</summary>
    private async Task CopyAsync(Segment segment, HttpResponseMessage response, long responseEnd, CancellationToken cancellationToken)
    {
        DownloadOptions options = _context.Options;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        var speed = new ConnectionSpeed();
        try
        {
            var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            // A pause (the token without the download's own stop) keeps what is in flight; a stop drops it at once.
            using var reader = new ReadLoop(body, response, options.ReadTimeout, _context.Stopping, cancellationToken);
            bool ended = false;
            while (!ended)
            {
                long wanted = Math.Min(_map.Unclaimed(segment), responseEnd - segment.Claimed);
                if (wanted <= 0)
                {
                    return;
                }

                int limit = (int)Math.Min(_context.Limits.ReadSize(options.BufferSize), wanted);
                int filled = 0;
                while (filled < limit)
                {
                    int read = await reader.ReadAsync(buffer, filled, limit - filled, SourceUri, segment.Claimed + filled).ConfigureAwait(false);
                    if (read == 0)
                    {
                        ended = true;
                        break;
                    }

                    filled += read;
                }

                if (filled > 0)
                {
                    await StoreAsync(segment, buffer, filled, reader.Draining, speed, cancellationToken).ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (_map.Unclaimed(segment) > 0 && segment.Claimed < responseEnd)
            {
                throw new DownloadException(
                    DownloadErrorKind.Network,
                    $"{SourceUri}: the server closed the connection early at byte {segment.Claimed}.")
                { IsTransient = true };
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes bytes read for the segment at its place, once the shared rate limit allows (not while draining).</summary>
    private async Task StoreAsync(Segment segment, byte[] buffer, int filled, bool draining, ConnectionSpeed speed, CancellationToken cancellationToken)
    {
        if (!draining)
        {
            try
            {
                await _context.Limits.WaitAsync(filled, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_context.Stopping.IsCancellationRequested)
            {
                // Paused while waiting for the rate limit: the bytes are here, so they are kept.
            }
        }

        int allowed = _map.Claim(segment, filled, out long offset);
        _part.Write(offset, buffer, allowed);
        _map.Commit(segment, allowed);
        _context.Meter.Add(allowed);
        Source?.Add(allowed);
        if (speed.Add(allowed, out double bytesPerSecond))
        {
            _map.ReportSpeed(segment, bytesPerSecond);
        }
    }

    /// <summary>A cheap per-connection rate, reported about twice a second.</summary>
    private sealed class ConnectionSpeed
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytes;
        private double _rate;

        public bool Add(long bytes, out double bytesPerSecond)
        {
            _bytes += bytes;
            double seconds = _clock.Elapsed.TotalSeconds;
            bytesPerSecond = _rate;
            if (seconds < 0.5)
            {
                return false;
            }

            double current = _bytes / seconds;
            _rate = _rate == 0 ? current : (_rate * 0.5) + (current * 0.5);
            bytesPerSecond = _rate;
            _bytes = 0;
            _clock.Restart();
            return true;
        }
    }
}
