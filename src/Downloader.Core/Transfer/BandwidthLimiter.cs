using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Transfer;

/// <summary>
/// One token bucket shared by every connection that uses it, so a limit holds for a whole batch and not per
/// connection. The rate can change while downloads run; zero or less means unlimited.
/// </summary>
public sealed class BandwidthLimiter
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _burstSeconds;
    private long _bytesPerSecond;
    private double _tokens;
    private double _lastRefill;

    public BandwidthLimiter(long bytesPerSecond)
        : this(bytesPerSecond, TimeSpan.FromSeconds(0.25))
    {
    }

    /// <param name="burst">How much time at the rate may be read at once after a pause (64 KiB at least).</param>
    public BandwidthLimiter(long bytesPerSecond, TimeSpan burst)
    {
        _bytesPerSecond = bytesPerSecond;
        _burstSeconds = burst.TotalSeconds;
    }

    public long BytesPerSecond
    {
        get => Interlocked.Read(ref _bytesPerSecond);
        set
        {
            lock (_gate)
            {
                Interlocked.Exchange(ref _bytesPerSecond, value);
                _tokens = Math.Min(_tokens, Capacity(value));
            }
        }
    }

    /// <summary>Waits until <paramref name="count"/> bytes may be transferred.</summary>
    public Task WaitAsync(int count, CancellationToken cancellationToken)
    {
        // Every client has one, limited or not: unlimited, a read costs no lock.
        if (Interlocked.Read(ref _bytesPerSecond) <= 0)
        {
            return Task.CompletedTask;
        }

        TimeSpan delay;
        lock (_gate)
        {
            long rate = _bytesPerSecond;
            if (rate <= 0)
            {
                return Task.CompletedTask;
            }

            double now = _clock.Elapsed.TotalSeconds;
            _tokens = Math.Min(Capacity(rate), _tokens + ((now - _lastRefill) * rate));
            _lastRefill = now;

            // Take the tokens now, going into debt if need be; the debt is the wait. This keeps callers in order.
            _tokens -= count;
            if (_tokens >= 0)
            {
                return Task.CompletedTask;
            }

            delay = TimeSpan.FromSeconds(-_tokens / rate);
        }

        return Task.Delay(delay, cancellationToken);
    }

    // By default a quarter second of burst: smooth enough for a progress bar, large enough for one buffer.
    private double Capacity(long rate) => Math.Max(rate * _burstSeconds, 64 * 1024);
}
