using System;
using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Planning;

/// <summary>
/// The segmentation state of one file: which bytes are written, which are being fetched and by whom, and what is
/// left. Connections acquire segments, claim bytes before writing them and commit after, so a split never hands out
/// bytes a connection is already writing. All members are thread-safe.
/// </summary>
public sealed class SegmentMap
{
    private readonly object _gate = new();
    private readonly List<Segment> _segments = new();
    private readonly WrittenRanges _written;
    private int _nextId;
    private long _lastCommit;

    /// <summary>The clock silence is measured with; tests give a fake one.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    private SegmentMap(long length, long minSplitSize, RangeSet done)
    {
        Length = length;
        MinSplitSize = Math.Max(1, minSplitSize);
        _written = new WrittenRanges(done);
    }

    public long Length { get; }

    public long MinSplitSize { get; }

    /// <summary>A plan for a fresh download: up to <paramref name="parts"/> equal segments, none smaller than the minimum.</summary>
    public static SegmentMap Fresh(long length, int parts, long minSplitSize) =>
        FromDone(length, new RangeSet(), parts, minSplitSize);

    /// <summary>A plan that fetches only what <paramref name="done"/> lacks, e.g. after a resume.</summary>
    public static SegmentMap FromDone(long length, RangeSet done, int parts, long minSplitSize)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length));
        }

        var map = new SegmentMap(length, minSplitSize, new RangeSet(done.Ranges));
        IReadOnlyList<ByteRange> gaps = done.Complement(length);
        long missing = gaps.Sum(g => g.Length);
        long target = Math.Max(map.MinSplitSize, missing / Math.Max(1, parts));
        foreach (ByteRange gap in gaps)
        {
            // Cut large gaps so that every connection starts with work of its own.
            long pieces = Math.Max(1, Math.Min(parts, gap.Length / target));
            long size = gap.Length / pieces;
            for (long i = 0; i < pieces; i++)
            {
                long start = gap.Start + (i * size);
                long end = i == pieces - 1 ? gap.End : start + size;
                map._segments.Add(new Segment(map._nextId++, start, end));
            }
        }

        return map;
    }

    public bool IsComplete
    {
        get
        {
            lock (_gate)
            {
                return _segments.All(s => s.Position == s.End);
            }
        }
    }

    /// <summary>Bytes written, those found on disk at the start included; kept as commits land, not counted.</summary>
    public long CompletedBytes => _written.Total;

    /// <summary>Gives an idle connection its next segment, or null when nothing is worth taking.</summary>
    public Segment? Acquire(IPieceSelector selector)
    {
        lock (_gate)
        {
            long now = Clock.GetTimestamp();
            // Before any byte arrived, no connection has shown the others are faster.
            double quiet = _lastCommit == 0 ? double.MaxValue : Clock.GetElapsedTime(_lastCommit, now).TotalSeconds;
            foreach (Segment s in _segments)
            {
                s.SilentSeconds = s.IsOwned ? Clock.GetElapsedTime(s.LastActivity, now).TotalSeconds : 0;
                s.SilentWhileOthersReceived = s.IsOwned ? Math.Max(0, s.SilentSeconds - quiet) : 0;
            }

            PieceChoice? choice = selector.Choose(_segments, Length, MinSplitSize);
            if (choice == null)
            {
                return null;
            }

            Segment source = choice.Value.Segment;
            long splitAt = choice.Value.SplitAt;
            if (!_segments.Contains(source) || splitAt < source.Claimed || splitAt >= source.End)
            {
                throw new InvalidOperationException($"Selector chose an invalid split at {splitAt} of segment {source.Id}.");
            }

            long takenEnd = choice.Value.MaxLength > 0 ? Math.Min(source.End, splitAt + choice.Value.MaxLength) : source.End;
            if (takenEnd < source.End)
            {
                // Only a piece is wanted: what lies after it becomes free work of its own.
                _segments.Add(new Segment(_nextId++, takenEnd, source.End));
            }

            if (!source.IsOwned && splitAt == source.Claimed && source.Position == source.Claimed)
            {
                Own(source, now);
                source.End = takenEnd;
                return source;
            }

            var taken = new Segment(_nextId++, splitAt, takenEnd);
            Own(taken, now);
            source.End = splitAt;
            _segments.Add(taken);
            if (source.IsOwned && source.Claimed == source.End && source.Position == source.Claimed)
            {
                // Everything the owner had left is someone else's now, and it is writing nothing: stop its wait.
                source.Abandon.Cancel();
            }

            return taken;
        }
    }

    /// <summary>Takes the free segment whose next byte is <paramref name="offset"/>, e.g. for an already open response.</summary>
    public Segment? AcquireAt(long offset)
    {
        lock (_gate)
        {
            Segment? segment = _segments.FirstOrDefault(s => !s.IsOwned && s.Claimed == offset && s.Unclaimed > 0);
            if (segment != null)
            {
                Own(segment, Clock.GetTimestamp());
            }

            return segment;
        }
    }

    /// <summary>Bytes of the segment nobody has claimed; zero once it is done or was cut short by a split.</summary>
    public long Unclaimed(Segment segment)
    {
        lock (_gate)
        {
            return segment.Unclaimed;
        }
    }

    /// <summary>Reserves up to <paramref name="count"/> bytes at the segment's claim point; returns how many may be written.</summary>
    public int Claim(Segment segment, int count, out long offset)
    {
        lock (_gate)
        {
            offset = segment.Claimed;
            int allowed = (int)Math.Max(0, Math.Min(count, segment.End - segment.Claimed));
            segment.Claimed += allowed;
            return allowed;
        }
    }

    /// <summary>Records that claimed bytes are now written to the file.</summary>
    public void Commit(Segment segment, int count)
    {
        lock (_gate)
        {
            if (segment.Position + count > segment.Claimed)
            {
                throw new InvalidOperationException("Committed more bytes than were claimed.");
            }

            _written.Add(segment.Position, count);
            segment.Position += count;
            segment.LastActivity = Clock.GetTimestamp();
            _lastCommit = segment.LastActivity;
        }
    }

    /// <summary>The owner says how far its current request reaches, so splits can leave that request whole.</summary>
    public void SetRequestEnd(Segment segment, long end)
    {
        lock (_gate)
        {
            segment.RequestEnd = end;
        }
    }

    /// <summary>The owner reports its throughput so a selector can find lagging connections.</summary>
    public void ReportSpeed(Segment segment, double bytesPerSecond)
    {
        lock (_gate)
        {
            segment.BytesPerSecond = bytesPerSecond;
        }
    }

    /// <summary>The owner stops: claimed but unwritten bytes return to the pool, and anyone may take the rest.</summary>
    public void Release(Segment segment)
    {
        lock (_gate)
        {
            segment.Claimed = segment.Position;
            segment.IsOwned = false;
            segment.RequestEnd = 0;

            // A finished segment keeps its speed as the yardstick for spotting lagging connections.
            if (segment.Position < segment.End)
            {
                segment.BytesPerSecond = 0;
            }
        }
    }

    /// <summary>
    /// Takes the unfetched remainder of every owned segment away from its owner, as free work: the owners stop after
    /// the bytes they are writing and choose again. Used when a player seeks, so every connection moves at once.
    /// </summary>
    public void Preempt()
    {
        lock (_gate)
        {
            foreach (Segment s in _segments.Where(s => s.IsOwned && s.End > s.Claimed).ToList())
            {
                _segments.Add(new Segment(_nextId++, s.Claimed, s.End));
                s.End = s.Claimed;
            }
        }
    }

    /// <summary>
    /// Takes the unfetched remainder of one owned segment away from its owner, as free work, and stops the owner's wait
    /// at once (its source was dropped: nothing more should come from it). What it wrote is kept.
    /// </summary>
    public void Preempt(Segment segment)
    {
        lock (_gate)
        {
            if (!segment.IsOwned || !_segments.Contains(segment))
            {
                return;
            }

            if (segment.End > segment.Claimed)
            {
                _segments.Add(new Segment(_nextId++, segment.Claimed, segment.End));
                segment.End = segment.Claimed;
            }

            // Claimed bytes are written and committed without an await in between, so an owner that is waiting has
            // nothing in hand: stopping it loses no written byte.
            if (segment.Position == segment.Claimed)
            {
                segment.Abandon.Cancel();
            }
        }
    }

    private static void Own(Segment segment, long now)
    {
        segment.IsOwned = true;
        segment.LastActivity = now;
        if (segment.Abandon.IsCancellationRequested)
        {
            segment.Abandon = new System.Threading.CancellationTokenSource();
        }
    }

    /// <summary>Whether some connection owns work covering <paramref name="offset"/> or starting within <paramref name="within"/> bytes after it.</summary>
    public bool IsBeingFetchedNear(long offset, long within)
    {
        lock (_gate)
        {
            return _segments.Any(s => s.IsOwned && s.Claimed < s.End && s.Claimed <= offset + within && s.End > offset);
        }
    }

    /// <summary>Every byte known to be written: what a state file may record once the file is flushed.</summary>
    public RangeSet Completed() => _written.Snapshot();

    /// <summary>How many bytes from <paramref name="offset"/> on are written without a gap: a streaming reader's question, answered without a walk.</summary>
    public long ContiguousFrom(long offset) => _written.ContiguousFrom(offset);

    public IReadOnlyList<SegmentSnapshot> Snapshot()
    {
        lock (_gate)
        {
            return _segments.Select(s => new SegmentSnapshot(s.Id, s.Start, s.Position, s.End, s.IsOwned, s.BytesPerSecond)).ToList();
        }
    }
}
