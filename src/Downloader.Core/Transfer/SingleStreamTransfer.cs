using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Http;
using Downloader.Core.Pipeline;
using Downloader.Core.Probing;
using Downloader.Core.Results;
using Downloader.Core.Storage;

namespace Downloader.Core.Transfer;

/// <summary>
/// The fallback for servers that cannot be split: no range support, or no length. One GET, read in order, and hashed
/// on the way when the target wants a hash (in its algorithm), so the finish need not read the file again; when none
/// is wanted nothing is hashed. The bytes are saved as served unless <see cref="ContentCoding"/> says to decode them
/// (as a browser would), in which case length and hash are of the decoded bytes. A failure starts again from byte 0,
/// because nothing else is safe without ranges.
/// </summary>
internal sealed class SingleStreamTransfer : ITransfer
{
    private readonly TransferContext _context;
    private readonly IContentSink _sink;
    private readonly HashAlgorithmName? _hashAlgorithm;
    private readonly Func<string?, bool>? _decodes;
    private long _position;
    private long _length;
    private string? _hash;

    // The URL of the last request: a refusal refreshes only if it is still the current one.
    private Uri? _sentTo;

    /// <param name="hashAlgorithm">The digest to compute while streaming; null computes none.</param>
    /// <param name="decodes">Whether a response's Content-Encoding is decoded (<see cref="ContentCoding"/>), asked of
    /// each response, since a later one may come unlabelled; null saves every body as served.</param>
    /// <param name="decoded">The probe's encoding is decoded, so the size is known only at the end.</param>
    public SingleStreamTransfer(TransferContext context, IContentSink sink, HashAlgorithmName? hashAlgorithm, Func<string?, bool>? decodes = null, bool decoded = false)
    {
        _context = context;
        _sink = sink;
        _hashAlgorithm = hashAlgorithm;
        _decodes = decodes;
        _length = decoded ? -1 : context.Length;
    }

    public long BytesReceived => Interlocked.Read(ref _position);

    public long Length => Interlocked.Read(ref _length);

    public int ConnectionsUsed => 1;

    public string? Hash => Volatile.Read(ref _hash);

    public IReadOnlyList<ConnectionProgress> Connections => Array.Empty<ConnectionProgress>();

    // One stream has one source: the request's URL, with every byte.
    public IReadOnlyList<SourceBytes> Sources => new[] { new SourceBytes { Url = Http.UserInfo.Redacted(_context.Source.Original), Bytes = BytesReceived } };

    // Nothing to resume from a stream that starts over: it never writes a state file.
    public bool Checkpointed => false;

    public long ContiguousFrom(long offset) => Math.Max(0, BytesReceived - offset);

    // One stream fetches in order from byte 0: it is always where it can be, and nothing else can move.
    public bool IsFetchingNear(long offset, long within) => true;

    public void Regroup()
    {
    }

    public async Task<TransferOutcome> RunAsync(ProbeHandover handover, CancellationToken cancellationToken)
    {
        // One stream is one connection: the download's lease, and the probe's body for its first attempt.
        using var connection = new Connection(0, handover);
        while (true)
        {
            DownloadException? refused = null;
            try
            {
                (long bytes, string? hash) = await _context.RetryAsync(
                    ct =>
                    {
                        HttpResponseMessage? response = connection.TakeBody(0, out _);
                        _sink.Reset();
                        Interlocked.Exchange(ref _position, 0);
                        return FetchOnceAsync(response, ct);
                    },
                    cancellationToken).ConfigureAwait(false);
                Interlocked.Exchange(ref _length, bytes);
                Volatile.Write(ref _hash, hash);
                return TransferOutcome.Completed;
            }
            catch (DownloadException e) when (_context.Source.CanRefresh(e) && !cancellationToken.IsCancellationRequested)
            {
                // The URL expired part-way: a single stream has no ranges, so the new URL serves it from byte 0.
                refused = e;
            }

            await _context.Source.RefreshAsync(_sentTo ?? _context.Uri, refused.StatusCode!.Value, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<(long Bytes, string? Hash)> FetchOnceAsync(HttpResponseMessage? initial, CancellationToken cancellationToken) =>
        HttpFailures.AttemptAsync(_context.Uri, async () =>
        {
            HttpResponseMessage? response = initial;
            _sentTo = _context.Uri;
            try
            {
                if (response == null)
                {
                    (response, _) = await _context.Sender.GetAsync(_context.Uri, null, null, null, cancellationToken).ConfigureAwait(false);
                    if ((int)response.StatusCode != 200)
                    {
                        throw HttpFailures.FromStatus(response, _context.Uri, _context.Options.Network.EffectiveHints);
                    }
                }

                return await CopyAsync(response, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                response?.Dispose();
            }
        }, cancellationToken);

    private async Task<(long Bytes, string? Hash)> CopyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        DownloadOptions options = _context.Options;
        var raw = new CountingStream(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
        string? encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        using Stream body = _decodes != null && _decodes(encoding) ? ContentCoding.Decoder(encoding!, raw) : raw;
        using var reader = new ReadLoop(body, response, options.ReadTimeout, cancellationToken);
        using IncrementalHash? hash = _hashAlgorithm is HashAlgorithmName algorithm ? IncrementalHash.CreateHash(algorithm) : null;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(options.BufferSize);
        long position = 0;
        try
        {
            while (true)
            {
                int read = await reader.ReadAsync(buffer, 0, _context.Limits.ReadSize(options.BufferSize), _context.Uri, position).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await _context.Limits.WaitAsync(read, cancellationToken).ConfigureAwait(false);

                _sink.Write(position, buffer, read);
                hash?.AppendData(buffer, 0, read);
                position += read;
                _context.Meter.Add(read);
                Interlocked.Exchange(ref _position, position);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // The body is the whole representation: a 200's Content-Length, or a 206's Content-Range total (the probe's
        // "bytes=0-" response); a shorter body is a broken transfer, never a finished file.
        long expected = ExpectedLength(response);
        if (expected >= 0 && expected != raw.Count)
        {
            throw new DownloadException(DownloadErrorKind.Network, $"{_context.Uri}: the body ended at byte {raw.Count} of {expected}.") { IsTransient = true };
        }

        return (position, hash == null ? null : FileHasher.ToHex(hash.GetHashAndReset()));
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
