using System;
using System.Diagnostics;
using System.Threading;

namespace Downloader.Core.Transfer;

/// <summary>
/// Counts bytes lock-free on the hot path and derives a speed over the last few seconds when asked, so that
/// observing progress costs the transfer nothing.
/// </summary>
public sealed class ThroughputMeter
{
    private const int SampleCount = 16;
    private static readonly double TicksPerSecond = Stopwatch.Frequency;
    private readonly object _gate = new();
    private readonly long[] _times = new long[SampleCount];
    private readonly long[] _totals = new long[SampleCount];
    private readonly double _windowSeconds;
    private long _total;
    private int _next;
    private int _count;

    public ThroughputMeter(double windowSeconds = 3.0)
    {
        _windowSeconds = windowSeconds;
    }

    public long Total => Interlocked.Read(ref _total);

    public void Add(long bytes) => Interlocked.Add(ref _total, bytes);

    public double BytesPerSecond
    {
        get
        {
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                long total = Total;
                Record(now, total);
                int oldestIndex = -1;
                for (int i = 0; i < _count; i++)
                {
                    int index = (_next - 1 - i + SampleCount) % SampleCount;
                    if ((now - _times[index]) / TicksPerSecond > _windowSeconds)
                    {
                        break;
                    }

                    oldestIndex = index;
                }

                if (oldestIndex < 0)
                {
                    return 0;
                }

                double seconds = (now - _times[oldestIndex]) / TicksPerSecond;
                return seconds < 0.2 ? 0 : Math.Max(0, (total - _totals[oldestIndex]) / seconds);
            }
        }
    }

    private void Record(long now, long total)
    {
        int last = (_next - 1 + SampleCount) % SampleCount;
        if (_count > 0 && (now - _times[last]) / TicksPerSecond < _windowSeconds / SampleCount * 2)
        {
            return;
        }

        _times[_next] = now;
        _totals[_next] = total;
        _next = (_next + 1) % SampleCount;
        _count = Math.Min(SampleCount, _count + 1);
    }
}
