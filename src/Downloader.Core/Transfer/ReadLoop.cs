using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// Reads a response body with a stall timeout. On cancellation or stall the response is disposed, because that is
/// the only way to interrupt a read on every runtime we support.
/// </summary>
internal sealed class ReadLoop : IDisposable
{
    private readonly Stream _stream;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationToken _outer;
    private readonly CancellationTokenSource _stall;
    private readonly CancellationTokenRegistration _registration;

    public ReadLoop(Stream stream, IDisposable owner, TimeSpan readTimeout, CancellationToken cancellationToken)
    {
        _stream = stream;
        _readTimeout = readTimeout;
        _outer = cancellationToken;
        _stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _registration = _stall.Token.Register(owner.Dispose);
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/> with up to <paramref name="count"/> bytes; 0 at the end of the body.</summary>
    public async Task<int> ReadAsync(byte[] buffer, int offset, int count, Uri uri, long position)
    {
        try
        {
            _stall.CancelAfter(_readTimeout);
            return await _stream.ReadAsync(buffer, offset, count, _stall.Token).ConfigureAwait(false);
        }
        catch (Exception) when (_outer.IsCancellationRequested)
        {
            throw new OperationCanceledException(_outer);
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
        _registration.Dispose();
        _stall.Dispose();
    }
}
