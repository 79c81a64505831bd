using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Probing;
using Downloader.Core.Storage;

namespace Downloader.Core.Transfer;

/// <summary>
/// The fallback for servers that cannot be split: no range support, or no length. One GET, read in order, hashed on
/// the way. The bytes are saved as served, never decoded: whatever the Content-Encoding, the file is the resource's
/// representation (curl, wget and aria2c save the same). A failure starts again from byte 0, because nothing else is
/// safe without ranges.
/// </summary>
internal sealed class SingleStreamFetcher
{
    private readonly TransferContext _context;
    private readonly Func<long, bool> _reportPosition;

    /// <param name="reportPosition">Receives the bytes written so far; returns false to abort (e.g. too large).</param>
    public SingleStreamFetcher(TransferContext context, Func<long, bool> reportPosition)
    {
        _context = context;
        _reportPosition = reportPosition;
    }

    public async Task<(long Bytes, string Sha256)> FetchAsync(Stream destination, Func<Stream, bool> rewind, HttpResponseMessage? initial, CancellationToken cancellationToken)
    {
        HttpResponseMessage? pending = initial;
        try
        {
            return await _context.RetryAsync(
                ct =>
                {
                    HttpResponseMessage? response = pending;
                    pending = null;
                    if (!rewind(destination))
                    {
                        throw new DownloadException(DownloadErrorKind.Network, $"{_context.Uri}: the transfer broke and cannot be restarted.");
                    }

                    return FetchOnceAsync(destination, response, ct);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending?.Dispose();
        }
    }

    private Task<(long Bytes, string Sha256)> FetchOnceAsync(Stream destination, HttpResponseMessage? initial, CancellationToken cancellationToken) =>
        HttpFailures.AttemptAsync(_context.Uri, async () =>
        {
            HttpResponseMessage? response = initial;
            try
            {
                if (response == null)
                {
                    (response, _) = await _context.Sender.GetAsync(_context.Uri, null, null, null, cancellationToken).ConfigureAwait(false);
                    if ((int)response.StatusCode != 200)
                    {
                        throw HttpFailures.FromStatus(response, _context.Uri);
                    }
                }

                return await CopyAsync(destination, response, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                response?.Dispose();
            }
        }, cancellationToken);

    private async Task<(long Bytes, string Sha256)> CopyAsync(Stream destination, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        DownloadOptions options = _context.Options;
        Stream raw = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var reader = new ReadLoop(raw, response, options.ReadTimeout, cancellationToken);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        long position = 0;
        try
        {
            while (true)
            {
                int read = await reader.ReadAsync(buffer, 0, options.BufferSize, _context.Uri, position).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (options.BandwidthLimiter != null)
                {
                    await options.BandwidthLimiter.WaitAsync(read, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    destination.Write(buffer, 0, read);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
                {
                    throw new DownloadException(DownloadErrorKind.Storage, $"{_context.Uri}: cannot write the content: {e.Message}", e);
                }

                hash.AppendData(buffer, 0, read);
                position += read;
                _context.Meter.Add(read);
                if (!_reportPosition(position))
                {
                    throw new DownloadException(DownloadErrorKind.TooLarge, $"{_context.Uri}: the content is larger than the allowed size.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // The body is the whole representation: a 200's Content-Length, or a 206's Content-Range total (the probe's
        // "bytes=0-" response); a shorter body is a broken transfer, never a finished file.
        long expected = ExpectedLength(response);
        if (expected >= 0 && expected != position)
        {
            throw new DownloadException(DownloadErrorKind.Network, $"{_context.Uri}: the body ended at byte {position} of {expected}.") { IsTransient = true };
        }

        return (position, FileHasher.ToHex(hash.GetHashAndReset()));
    }

    private static long ExpectedLength(HttpResponseMessage response)
    {
        if ((int)response.StatusCode == 206)
        {
            return ContentRange.TryParse(Prober.ContentRangeHeader(response), out ContentRange range) && range.First == 0
                ? range.Total
                : -1;
        }

        return response.Content.Headers.ContentLength ?? -1;
    }
}
