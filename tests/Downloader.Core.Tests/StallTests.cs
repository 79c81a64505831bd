using System.Diagnostics;
using Downloader.Core.Planning;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>No download waits on a silent connection: its range is taken over long before any read timeout.</summary>
[Collection(OriginCollection.Name)]
public sealed class StallTests
{
    private readonly OriginServer _origin;

    public StallTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_connection_that_goes_silent_loses_its_range_and_the_download_finishes_well_before_the_read_timeout()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = DownloadHarness.FastOptions(connections: 4) with
        {
            MinSplitSize = 256 * 1024,
            ReadTimeout = TimeSpan.FromSeconds(60),
            ResponseTimeout = TimeSpan.FromSeconds(60),
        };
        var clock = Stopwatch.StartNew();

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"stall-one/{key}"), dir.Path, options);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:0.0} s with a 60 s read timeout");
        Assert.Equal(0, result.Retries);
    }

    [Fact]
    public void Speed_decays_while_a_connection_is_silent()
    {
        var time = new ManualClock();
        SegmentMap map = Fresh(time, 8 * 1024 * 1024, 2);
        var selector = new LargestRemainingSelector();
        Segment a = map.Acquire(selector)!;
        Segment b = map.Acquire(selector)!;
        map.ReportSpeed(a, 1_000_000);
        map.ReportSpeed(b, 1_000_000);

        time.Advance(TimeSpan.FromSeconds(0.3));
        Write(map, b, 1000);
        Assert.Null(map.Acquire(new OnlyLook()));
        Assert.Equal(1_000_000, a.EffectiveBytesPerSecond);

        time.Advance(TimeSpan.FromSeconds(4.7));
        Write(map, b, 1000);
        map.Acquire(new OnlyLook());
        Assert.Equal(100_000, a.EffectiveBytesPerSecond, 0);
        Assert.Equal(1_000_000, b.EffectiveBytesPerSecond);
    }

    [Fact]
    public void A_silent_connection_loses_its_whole_remainder_and_is_told_so_while_peers_receive()
    {
        var time = new ManualClock();
        SegmentMap map = Fresh(time, 8 * 1024 * 1024, 2);
        var selector = new LargestRemainingSelector();
        Segment silent = map.Acquire(selector)!;
        Segment busy = map.Acquire(selector)!;
        Write(map, silent, 4096);
        Write(map, busy, 4096);

        time.Advance(TimeSpan.FromSeconds(1));
        Write(map, busy, 4096);
        time.Advance(TimeSpan.FromSeconds(SilentConnections.StallSeconds));
        Segment? taken = map.Acquire(selector);

        Assert.NotNull(taken);
        Assert.Equal(silent.Start + 4096, taken!.Start);
        Assert.Equal(0, silent.Unclaimed);
        Assert.True(silent.Abandoned.IsCancellationRequested);
        Assert.False(busy.Abandoned.IsCancellationRequested);
    }

    [Fact]
    public void Nobody_loses_anything_when_every_connection_is_silent()
    {
        var time = new ManualClock();
        SegmentMap map = Fresh(time, 8 * 1024 * 1024, 2);
        var selector = new LargestRemainingSelector();
        Segment a = map.Acquire(selector)!;
        Segment b = map.Acquire(selector)!;
        Assert.NotSame(a, b);

        time.Advance(TimeSpan.FromSeconds(10));

        map.Acquire(new OnlyLook());
        Assert.Null(SilentConnections.FindStalled(new List<Segment> { a, b }));
    }

    [Fact]
    public void In_a_stream_a_stalled_piece_is_taken_over_before_anything_else()
    {
        var time = new ManualClock();
        SegmentMap map = SegmentMap.FromDone(16 * 1024 * 1024, new RangeSet(), 1, 256 * 1024);
        map.Clock = time;
        var selector = new Streaming.StreamingSelector(pieceSize: 1024 * 1024, edgeSize: 2 * 1024 * 1024);
        Segment head = map.Acquire(selector)!;
        Segment next = map.Acquire(selector)!;
        Write(map, head, 4096);
        Write(map, next, 4096);

        // The connection on the file's head goes silent while the other keeps receiving.
        time.Advance(TimeSpan.FromSeconds(1));
        Write(map, next, 4096);
        time.Advance(TimeSpan.FromSeconds(SilentConnections.StallSeconds));
        Segment? taken = map.Acquire(selector);

        Assert.NotNull(taken);
        Assert.Equal(head.Start + 4096, taken!.Start);
        Assert.True(head.Abandoned.IsCancellationRequested);
    }

    private static SegmentMap Fresh(ManualClock time, long length, int parts)
    {
        SegmentMap map = SegmentMap.Fresh(length, parts, 1024 * 1024);
        map.Clock = time;
        return map;
    }

    private static void Write(SegmentMap map, Segment segment, int count)
    {
        int allowed = map.Claim(segment, count, out _);
        map.Commit(segment, allowed);
    }

    /// <summary>A selector that takes nothing: lets a test refresh the map's view of silence.</summary>
    private sealed class OnlyLook : IPieceSelector
    {
        public PieceChoice? Choose(IReadOnlyList<Segment> segments, long fileLength, long minSplitSize) => null;
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
