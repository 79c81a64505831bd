using System;

namespace Downloader.Core.Priority;

/// <summary>
/// The link's capacity as the Background controller last measured it, and the ceiling it keeps under it. A delay
/// target alone holds a standing queue of that target, so the bottleneck is always busy with us: a token bucket such
/// as tc's tbf (or a modem's buffer) stays empty, and every short request of someone else waits behind the link's
/// whole rate. Reading at a share of the capacity (<see cref="BackgroundSettings.Headroom"/>) leaves the rest idle, so
/// that bucket refills and a short fetch finds the link as on an idle one. The capacity is what we read while the
/// queue stood between half the target and twice it (the link was busy, with us; a longer queue is other traffic's): the mean figure of the second half of
/// <see cref="BackgroundSettings.ProbeDuration"/> of it, once a burst from a full bucket has left the average. It is measured again every
/// <see cref="BackgroundSettings.ProbeInterval"/>: the ceiling is lifted until a new figure is taken, so a faster link
/// is found, and a slower one (or one shared with other traffic then) gives a lower ceiling until the next probe.
/// Pure: the caller gives the time.
/// </summary>
internal sealed class LinkCapacity
{
    private readonly BackgroundSettings _settings;
    private TimeSpan? _busySince;
    private double _sum;
    private int _count;
    private TimeSpan _measuredAt;

    public LinkCapacity(BackgroundSettings settings) => _settings = settings;

    /// <summary>The capacity measured last, in bytes per second; 0 before the first measurement.</summary>
    public double BytesPerSecond { get; private set; }

    /// <summary>Whether the ceiling is lifted to measure the capacity (at first, then once per probe interval).</summary>
    public bool Probing(TimeSpan now) => BytesPerSecond <= 0 || now - _measuredAt >= _settings.ProbeInterval;

    /// <summary>The most to read per second now; 0 for no ceiling (probing, or headroom turned off).</summary>
    public double Ceiling(TimeSpan now) =>
        Probing(now) || _settings.Headroom >= 1 ? 0 : _settings.Headroom * BytesPerSecond;

    /// <param name="busy">Whether the queueing delay stood between half the target and twice it: the queue we hold
    /// ourselves. A longer one is other traffic's, and what we read under it is our share, not the link.</param>
    /// <param name="delivered">The bytes per second read lately.</param>
    public void Observe(TimeSpan now, bool busy, double delivered)
    {
        if (!Probing(now) || !busy || delivered <= 0)
        {
            return;
        }

        // The mean of the probe's second half: the first holds the burst of a bucket that had filled, and one sample
        // alone (or the highest) catches the reader's stalls and catch-ups when it is short of CPU.
        _busySince ??= now;
        TimeSpan standing = now - _busySince.Value;
        if (standing >= TimeSpan.FromTicks(_settings.ProbeDuration.Ticks / 2))
        {
            (_sum, _count) = (_sum + delivered, _count + 1);
        }

        if (standing >= _settings.ProbeDuration && _count > 0)
        {
            BytesPerSecond = _sum / _count;
            _measuredAt = now;
            (_busySince, _sum, _count) = (null, 0, 0);
        }
    }
}
