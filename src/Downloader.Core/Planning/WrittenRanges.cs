using System.Threading;

namespace Downloader.Core.Planning;

/// <summary>
/// The bytes of one file known to be written, kept up to date as each commit lands: readers (a checkpoint, a stream)
/// ask it what is done without walking every segment, and without waiting on the map's lock. Thread-safe.
/// </summary>
internal sealed class WrittenRanges
{
    private readonly object _gate = new();
    private readonly RangeSet _done;
    private long _total;

    public WrittenRanges(RangeSet doneBeforeStart)
    {
        _done = new RangeSet(doneBeforeStart.Ranges);
        _total = _done.TotalLength;
    }

    public long Total => Interlocked.Read(ref _total);

    /// <summary>Records <paramref name="count"/> bytes written at <paramref name="offset"/>; each byte is recorded once.</summary>
    public void Add(long offset, long count)
    {
        lock (_gate)
        {
            // Commits extend the range their segment already has, so the set stays as short as the gaps are many.
            _done.Add(new ByteRange(offset, offset + count));
            Interlocked.Add(ref _total, count);
        }
    }

    /// <summary>How many bytes from <paramref name="offset"/> on are written without a gap.</summary>
    public long ContiguousFrom(long offset)
    {
        lock (_gate)
        {
            return _done.ContiguousFrom(offset);
        }
    }

    /// <summary>A copy of what is written, e.g. for a state file.</summary>
    public RangeSet Snapshot()
    {
        lock (_gate)
        {
            return new RangeSet(_done.Ranges);
        }
    }
}
