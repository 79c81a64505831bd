using System;
using System.Collections.Generic;

namespace Downloader.Core.Priority;

/// <summary>
/// The delay of the path with an empty queue: the lowest sample over the last few minutes, kept as one minimum per
/// minute (RFC 6817, section 3.4.2), so the oldest minute drops out as a new one begins.
/// </summary>
internal sealed class BaseDelay
{
    private static readonly TimeSpan Bucket = TimeSpan.FromMinutes(1);
    private readonly int _buckets;
    private readonly LinkedList<TimeSpan> _minima = new();
    private TimeSpan _bucketStart;

    public BaseDelay(int buckets)
    {
        _buckets = Math.Max(1, buckets);
    }

    /// <summary>The lowest delay still remembered; null before the first sample.</summary>
    public TimeSpan? Minimum { get; private set; }

    public void Add(TimeSpan now, TimeSpan delay)
    {
        if (_minima.Count == 0 || now - _bucketStart >= Bucket)
        {
            _bucketStart = now;
            _minima.AddLast(delay);
            if (_minima.Count > _buckets)
            {
                _minima.RemoveFirst();
            }
        }
        else if (delay < _minima.Last!.Value)
        {
            _minima.Last.Value = delay;
        }

        TimeSpan lowest = TimeSpan.MaxValue;
        foreach (TimeSpan minimum in _minima)
        {
            lowest = minimum < lowest ? minimum : lowest;
        }

        Minimum = lowest;
    }
}
