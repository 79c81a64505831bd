using Downloader.Core.Planning;

namespace Downloader.Core.Tests.Unit;

public sealed class SegmentMapTests
{
    private static readonly IPieceSelector Bulk = new LargestRemainingSelector();

    [Fact]
    public void Fresh_plan_splits_into_equal_parts_covering_the_file()
    {
        SegmentMap map = SegmentMap.Fresh(10_000_000, 4, 1_000_000);

        var segments = map.Snapshot();
        Assert.Equal(4, segments.Count);
        Assert.Equal(0, segments[0].Start);
        Assert.Equal(10_000_000, segments[^1].End);
        for (int i = 1; i < segments.Count; i++)
        {
            Assert.Equal(segments[i - 1].End, segments[i].Start);
        }
    }

    [Fact]
    public void Small_file_gets_a_single_segment()
    {
        SegmentMap map = SegmentMap.Fresh(1_500_000, 8, 1_000_000);

        Assert.Single(map.Snapshot());
        Assert.NotNull(map.Acquire(Bulk));
        Assert.Null(map.Acquire(Bulk));
    }

    [Fact]
    public void Idle_connection_takes_half_of_the_largest_remaining_range()
    {
        SegmentMap map = SegmentMap.Fresh(8 * 1024 * 1024, 1, 1024);
        Segment first = map.Acquire(Bulk)!;
        Write(map, first, 1024 * 1024);

        Segment stolen = map.Acquire(Bulk)!;

        long remaining = (8 * 1024 * 1024) - (1024 * 1024);
        Assert.Equal((1024 * 1024) + (remaining / 2), stolen.Start);
        Assert.Equal(8 * 1024 * 1024, stolen.End);
        Assert.Equal(stolen.Start, first.End);
    }

    [Fact]
    public void Split_never_hands_out_bytes_being_written()
    {
        SegmentMap map = SegmentMap.Fresh(4 * 1024 * 1024, 1, 1024);
        Segment owner = map.Acquire(Bulk)!;
        int claimed = map.Claim(owner, 3 * 1024 * 1024, out long offset);
        Assert.Equal(0, offset);

        Segment stolen = map.Acquire(Bulk)!;

        Assert.True(stolen.Start >= offset + claimed);
        map.Commit(owner, claimed);
    }

    [Fact]
    public void Claim_stops_at_a_shortened_end()
    {
        SegmentMap map = SegmentMap.Fresh(4 * 1024 * 1024, 1, 1024);
        Segment owner = map.Acquire(Bulk)!;
        Segment stolen = map.Acquire(Bulk)!;

        int allowed = map.Claim(owner, 8 * 1024 * 1024, out _);

        Assert.Equal(stolen.Start, allowed);
    }

    [Fact]
    public void Completed_ranges_are_only_committed_bytes()
    {
        SegmentMap map = SegmentMap.Fresh(1000, 1, 100);
        Segment s = map.Acquire(Bulk)!;
        map.Claim(s, 300, out _);
        map.Commit(s, 200);

        Assert.Equal(new[] { new ByteRange(0, 200) }, map.Completed().Ranges);
        Assert.Equal(200, map.CompletedBytes);
    }

    [Fact]
    public void Contiguous_bytes_follow_each_commit_across_segments_and_saved_ranges()
    {
        // Saved: [0,100) and [300,400). The gaps [100,300) and [400,1000) are fetched.
        var done = new RangeSet(new[] { new ByteRange(0, 100), new ByteRange(300, 400) });
        SegmentMap map = SegmentMap.FromDone(1000, done, 1, 50);
        Segment first = map.AcquireAt(100)!;
        Assert.Equal(100, map.ContiguousFrom(0));
        Assert.Equal(0, map.ContiguousFrom(100));

        map.Claim(first, 150, out _);
        map.Commit(first, 150);
        Assert.Equal(250, map.ContiguousFrom(0));
        Assert.Equal(0, map.ContiguousFrom(250));

        // The commit that closes the gap joins the saved range after it: one run of 400 bytes.
        map.Claim(first, 50, out _);
        map.Commit(first, 50);
        Assert.Equal(400, map.ContiguousFrom(0));
        Assert.Equal(50, map.ContiguousFrom(350));
        Assert.Equal(new[] { new ByteRange(0, 400) }, map.Completed().Ranges);
        Assert.Equal(400, map.CompletedBytes);
    }

    [Fact]
    public void Released_segment_returns_uncommitted_claims()
    {
        SegmentMap map = SegmentMap.Fresh(1000, 1, 100);
        Segment s = map.Acquire(Bulk)!;
        map.Claim(s, 300, out _);
        map.Commit(s, 200);
        map.Release(s);

        Segment again = map.Acquire(Bulk)!;

        Assert.Same(s, again);
        Assert.Equal(200, again.Claimed);
    }

    [Fact]
    public void Resume_plan_fetches_only_the_gaps()
    {
        var done = new RangeSet(new[] { new ByteRange(0, 400), new ByteRange(600, 1000) });
        SegmentMap map = SegmentMap.FromDone(1000, done, 4, 50);

        Assert.Equal(800, map.CompletedBytes);
        Segment s = map.Acquire(Bulk)!;
        Assert.InRange(s.Start, 400, 599);
        Assert.True(map.Snapshot().All(x => x.Start >= 400 && x.End <= 600));
    }

    [Fact]
    public void Lagging_connection_hands_its_tail_to_an_idle_one()
    {
        SegmentMap map = SegmentMap.Fresh(2 * 1024 * 1024, 2, 1024 * 1024);
        Segment fast = map.Acquire(Bulk)!;
        Segment slow = map.Acquire(Bulk)!;
        Write(map, fast, (int)(fast.End - fast.Start));
        map.ReportSpeed(fast, 10_000_000);
        map.ReportSpeed(slow, 100_000);
        map.Release(fast);

        Segment tail = map.Acquire(Bulk)!;

        Assert.Equal(slow.Start, tail.Start);
        Assert.Equal(slow.Claimed, slow.End);
    }

    [Fact]
    public void Equal_speeds_do_not_trigger_a_handover()
    {
        SegmentMap map = SegmentMap.Fresh(3 * 1024 * 1024, 3, 1024 * 1024);
        Segment a = map.Acquire(Bulk)!;
        Segment b = map.Acquire(Bulk)!;
        Segment c = map.Acquire(Bulk)!;
        Write(map, a, (int)(a.End - a.Start));
        map.Release(a);
        map.ReportSpeed(b, 1_000_000);
        map.ReportSpeed(c, 1_000_000);

        Assert.Null(map.Acquire(Bulk));
    }

    [Fact]
    public async Task Concurrent_workers_cover_every_byte_exactly_once()
    {
        const long length = 5_000_003;
        SegmentMap map = SegmentMap.Fresh(length, 6, 4096);
        var written = new int[length];
        var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            var random = new Random(Environment.CurrentManagedThreadId);
            for (int guard = 0; guard < 100_000; guard++)
            {
                Segment? s = map.Acquire(Bulk);
                if (s == null)
                {
                    return;
                }

                while (true)
                {
                    int n = map.Claim(s, random.Next(1, 40_000), out long offset);
                    if (n == 0)
                    {
                        break;
                    }

                    for (long i = offset; i < offset + n; i++)
                    {
                        Interlocked.Increment(ref written[i]);
                    }

                    map.Commit(s, n);
                }

                map.Release(s);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.True(map.IsComplete);
        Assert.All(written, count => Assert.Equal(1, count));
    }

    [Fact]
    public void Preempting_one_segment_frees_its_unfetched_rest_and_stops_its_owner()
    {
        SegmentMap map = SegmentMap.Fresh(4 * 1024 * 1024, 1, 1024);
        Segment owned = map.Acquire(Bulk)!;
        Write(map, owned, 1024 * 1024);

        map.Preempt(owned);

        Assert.True(owned.Abandoned.IsCancellationRequested);
        Assert.Equal(0, map.Unclaimed(owned));
        map.Release(owned);
        Segment rest = map.Acquire(Bulk)!;
        Assert.Equal(1024 * 1024, rest.Start);
        Assert.Equal(4 * 1024 * 1024, rest.End);
        Assert.Equal(1024 * 1024, map.CompletedBytes);
    }

    private static void Write(SegmentMap map, Segment segment, int count)
    {
        int n = map.Claim(segment, count, out _);
        map.Commit(segment, n);
    }
}
