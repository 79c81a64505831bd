using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// Reads a response body with a stall timeout. On a hard stop or a stall the response is disposed, because that is
/// the only way to interrupt a read on every runtime we support.
/// A soft stop (a pause) does not throw away what is in flight: the bytes the server already sent sit in our socket
/// buffers (megabytes per connection on a fast link), and dropping them would make the origin send them twice. So
/// after a soft stop the loop keeps reading while data comes back at once (no gap of <see cref="DrainGap"/>), for at most
/// <see cref="DrainFor"/>, then ends with <see cref="OperationCanceledException"/>; the caller keeps every byte read.
/// </summary>
internal sealed class ReadLoop : IDisposable
{
    // Bytes already in our socket buffers come back from a read at once; a gap this long means the rest would have
    // to come over the network, which is what a pause stops.
    internal static readonly TimeSpan DrainGap = TimeSpan.FromMilliseconds(20);
    internal static readonly TimeSpan DrainFor = TimeSpan.FromMilliseconds(500);
    private readonly Stream _stream;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationToken _hard;
    private readonly CancellationToken _soft;
    private readonly CancellationTokenSource _stall;
    private readonly CancellationTokenRegistration _registration;
    private readonly CancellationTokenRegistration _softRegistration;
    private readonly Stopwatch _draining = new();

    /// <param name="cancellationToken">Stops at once (Ctrl+C, Stop-Download).</param>
    /// <param name="softStop">Stops after draining what already arrived (a pause); default: none.</param>
    public ReadLoop(Stream stream, IDisposable owner, TimeSpan readTimeout, CancellationToken cancellationToken, CancellationToken softStop = default)
    {
        _stream = stream;
        _readTimeout = readTimeout;
        _hard = cancellationToken;
        _soft = softStop;
        _stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registration = _stall.Token.Register(owner.Dispose);
        _softRegistration = softStop.Register(BeginDrain);
    }

    /// <summary>Whether a soft stop asked this loop to finish; bytes read now skip any rate limit.</summary>
    public bool Draining => _soft.IsCancellationRequested;

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> with up to <paramref name="count"/> bytes; 0 at the end of the body.</summary>
    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, Uri uri, long position)
    {
        if (Draining && _draining.Elapsed >= DrainFor)
        {
            // Still streaming fast: abort the response now (through the stall registration) rather than let the
            // handler drain it on dispose.
            _stall.Cancel();
            throw new OperationCanceledException(_soft);
        }

        try
        {
            _stall.CancelAfter(Draining ? DrainGap : _readTimeout);
            return await _stream.ReadAsync(buffer, offset, count, _stall.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_hard.IsCancellationRequested)
        {
            throw new OperationCanceledException(_hard);
        }
        catch (Exception) when (_stall.IsCancellationRequested && Draining)
        {
            // Nothing more arrived at once: what was in flight is read.
            throw new OperationCanceledException(_soft);
        }
        catch (Exception e) when (_stall.IsCancellationRequested)
        {
            throw new DownloadException(
                DownloadErrorKind.Timeout,
                $"{uri}: no data for {_readTimeout.TotalSeconds:0.#} s at byte {position}.",
                e)
            { IsTransient = true };
        }
    }

    public void Dispose()
    {
        _softRegistration.Dispose();
        _registration.Dispose();
        _stall.Dispose();
    }

    private void BeginDrain()
    {
        _draining.Start();
        try
        {
            // A read waiting for data now waits only a short gap.
            _stall.CancelAfter(DrainGap);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
