using System;
using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Planning;

/// <summary>A sorted set of disjoint, non-adjacent byte ranges: what is on disk, or what is missing.</summary>
public sealed class RangeSet
{
    private readonly List<ByteRange> _ranges = new();

    public RangeSet()
    {
    }

    public RangeSet(IEnumerable<ByteRange> ranges)
    {
        foreach (ByteRange range in ranges)
        {
            Add(range);
        }
    }

    public IReadOnlyList<ByteRange> Ranges => _ranges;

    public long TotalLength => _ranges.Sum(r => r.Length);

    public void Add(ByteRange range)
    {
        if (range.Length == 0)
        {
            return;
        }

        long start = range.Start;
        long end = range.End;
        int i = 0;
        while (i < _ranges.Count && _ranges[i].End < start)
        {
            i++;
        }

        // Absorb every range that overlaps or touches the new one.
        while (i < _ranges.Count && _ranges[i].Start <= end)
        {
            start = Math.Min(start, _ranges[i].Start);
            end = Math.Max(end, _ranges[i].End);
            _ranges.RemoveAt(i);
        }

        _ranges.Insert(i, new ByteRange(start, end));
    }

    public bool Covers(ByteRange range) =>
        range.Length == 0 || _ranges.Any(r => r.Start <= range.Start && r.End >= range.End);

    /// <summary>How many bytes from <paramref name="offset"/> onwards are present without a gap.</summary>
    public long ContiguousFrom(long offset)
    {
        foreach (ByteRange r in _ranges)
        {
            if (r.Start <= offset && offset < r.End)
            {
                return r.End - offset;
            }
        }

        return 0;
    }

    /// <summary>The gaps of this set inside [0, length).</summary>
    public IReadOnlyList<ByteRange> Complement(long length)
    {
        var gaps = new List<ByteRange>();
        long cursor = 0;
        foreach (ByteRange r in _ranges)
        {
            if (r.Start >= length)
            {
                break;
            }

            if (r.Start > cursor)
            {
                gaps.Add(new ByteRange(cursor, r.Start));
            }

            cursor = Math.Max(cursor, r.End);
        }

        if (cursor < length)
        {
            gaps.Add(new ByteRange(cursor, length));
        }

        return gaps;
    }
}
