using Downloader.Core.Planning;
using Downloader.Core.Streaming;

namespace Downloader.Core.Tests.Unit;

public sealed class StreamingSelectorTests
{
    private const long Piece = 1024 * 1024;
    private const long Edge = 2 * Piece;
    private const long Length = 100 * Piece;

    [Fact]
    public void A_piece_choice_with_a_length_leaves_the_rest_free()
    {
        SegmentMap map = SegmentMap.Fresh(1000, 1, 1);
        var selector = new FixedChoice(segments => new PieceChoice(segments[0], 100, 50));

        Segment taken = map.Acquire(selector)!;

        Assert.Equal((100L, 150L), (taken.Start, taken.End));
        var free = map.Snapshot().Where(s => !s.IsOwned).Select(s => (s.Start, s.End)).OrderBy(r => r.Start).ToList();
        Assert.Equal(new[] { (0L, 100L), (150L, 1000L) }, free);
    }

    [Fact]
    public void Head_comes_first_then_the_tail_from_its_last_byte_backwards()
    {
        var selector = new StreamingSelector(Piece, Edge);
        SegmentMap map = SegmentMap.Fresh(Length, 1, Piece);

        int headPieces = (int)(Edge / selector.NearPieceSize);
        var head = Enumerable.Range(0, headPieces).Select(_ => map.Acquire(selector)!).ToList();
        Segment tail1 = map.Acquire(selector)!;
        Segment tail2 = map.Acquire(selector)!;

        Assert.Equal(Enumerable.Range(0, headPieces).Select(i => i * selector.NearPieceSize), head.Select(s => s.Start));
        Assert.All(head, s => Assert.Equal(selector.NearPieceSize, s.End - s.Start));
        Assert.Equal((Length - selector.NearPieceSize, Length), (tail1.Start, tail1.End));
        Assert.Equal((Length - (2 * selector.NearPieceSize), Length - selector.NearPieceSize), (tail2.Start, tail2.End));
    }

    [Fact]
    public void Pieces_after_the_play_head_are_small_near_it_and_larger_further_on()
    {
        var selector = new StreamingSelector(Piece, Edge);
        SegmentMap map = MapWithEdgesDone();
        int reader = selector.Heads.Open();
        selector.Heads.Move(reader, 40 * Piece);

        var pieces = Enumerable.Range(0, 20).Select(_ => map.Acquire(selector)!).ToList();

        Assert.Equal(40 * Piece, pieces[0].Start);
        for (int i = 1; i < pieces.Count; i++)
        {
            Assert.Equal(pieces[i - 1].End, pieces[i].Start);
        }

        Assert.All(pieces.Where(p => p.Start < (40 * Piece) + selector.NearWindow), p => Assert.Equal(selector.NearPieceSize, p.End - p.Start));
        Assert.Equal(Piece, pieces[^1].End - pieces[^1].Start);
    }

    [Fact]
    public void Two_readers_share_the_connections_instead_of_taking_them_from_each_other()
    {
        var selector = new StreamingSelector(Piece, Edge);
        SegmentMap map = MapWithEdgesDone();
        int a = selector.Heads.Open();
        int b = selector.Heads.Open();
        selector.Heads.Move(a, 20 * Piece);
        selector.Heads.Move(b, 70 * Piece);

        var pieces = Enumerable.Range(0, 8).Select(_ => map.Acquire(selector)!).ToList();

        Assert.Equal(4, pieces.Count(p => p.Start >= 20 * Piece && p.Start < 30 * Piece));
        Assert.Equal(4, pieces.Count(p => p.Start >= 70 * Piece && p.Start < 80 * Piece));
        Assert.Contains(pieces, p => p.Start == 20 * Piece);
        Assert.Contains(pieces, p => p.Start == 70 * Piece);
    }

    [Fact]
    public void A_closed_reader_no_longer_pulls_connections()
    {
        var selector = new StreamingSelector(Piece, Edge);
        SegmentMap map = MapWithEdgesDone();
        int gone = selector.Heads.Open();
        int watching = selector.Heads.Open();
        selector.Heads.Move(gone, 20 * Piece);
        selector.Heads.Move(watching, 70 * Piece);
        selector.Heads.Close(gone);

        var pieces = Enumerable.Range(0, 4).Select(_ => map.Acquire(selector)!).ToList();

        Assert.All(pieces, p => Assert.InRange(p.Start, 70 * Piece, 80 * Piece));
    }

    [Fact]
    public void A_reader_idle_past_the_window_is_ignored_but_the_latest_position_is_kept()
    {
        var heads = new PlayHeads { ActiveWindow = TimeSpan.Zero };
        int reader = heads.Open();
        heads.Move(reader, 5);
        Thread.Sleep(5);

        Assert.Equal(new[] { 5L }, heads.Active());

        var live = new PlayHeads();
        int one = live.Open();
        int two = live.Open();
        live.Move(one, 5);
        live.Move(two, 9);
        Assert.Equal(new[] { 5L, 9L }, live.Active().OrderBy(x => x));
        Assert.Equal(9, live.Latest);
    }

    /// <summary>A map whose head and tail are written, as after the first seconds of playback.</summary>
    private static SegmentMap MapWithEdgesDone()
    {
        var done = new RangeSet(new[] { new ByteRange(0, Edge), new ByteRange(Length - Edge, Length) });
        return SegmentMap.FromDone(Length, done, 1, Piece);
    }

    private sealed class FixedChoice : IPieceSelector
    {
        private readonly Func<IReadOnlyList<Segment>, PieceChoice> _choose;

        public FixedChoice(Func<IReadOnlyList<Segment>, PieceChoice> choose)
        {
            _choose = choose;
        }

        public PieceChoice? Choose(IReadOnlyList<Segment> segments, long fileLength, long minSplitSize) => _choose(segments);
    }
}
