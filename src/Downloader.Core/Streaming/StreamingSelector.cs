using System.Collections.Generic;
using System.Linq;
using Downloader.Core.Planning;

namespace Downloader.Core.Streaming;

/// <summary>
/// Piece selection for watching while downloading: the head of the file first and its tail early (where MP4 keeps
/// its index), then the pieces right after the play head, one connection per piece, so the bytes the player needs
/// next arrive over several connections at once.
/// </summary>
public sealed class StreamingSelector : IPieceSelector
{
    public StreamingSelector(long pieceSize, long edgeSize)
    {
        PieceSize = pieceSize;
        EdgeSize = edgeSize;
        NearPieceSize = System.Math.Max(1, pieceSize / 4);
        NearWindow = 4 * pieceSize;
    }

    /// <summary>How much each connection takes ahead of the next; video-funnel and IDM use about a megabyte.</summary>
    public long PieceSize { get; }

    /// <summary>How much of the head and of the tail is fetched before anything else.</summary>
    public long EdgeSize { get; }

    /// <summary>
    /// The piece size just after the play head. A player that has just started or seeked waits for these bytes, and
    /// a piece arrives at one connection's speed: smaller pieces spread the first megabytes over more connections.
    /// </summary>
    public long NearPieceSize { get; }

    /// <summary>How far after the play head pieces stay small; beyond it, larger pieces keep the request count low.</summary>
    public long NearWindow { get; }

    /// <summary>Where the players read; the local server moves these as requests come in.</summary>
    internal PlayHeads Heads { get; } = new();

    public PieceChoice? Choose(IReadOnlyList<Segment> segments, long fileLength, long minSplitSize)
    {
        IReadOnlyList<long> heads = Heads.Active();
        long tailStart = System.Math.Max(0, fileLength - EdgeSize);

        // 0. A stalled connection's piece: a player may be waiting on it, so it is taken over at once, wherever it is.
        Segment? stalled = SilentConnections.FindStalled(segments);
        if (stalled != null)
        {
            return new PieceChoice(stalled, stalled.Claimed, PieceAt(stalled.Claimed, heads.Count > 0 ? heads[0] : 0));
        }

        // 1. The file's head.
        Segment? first = segments.FirstOrDefault(s => !s.IsOwned && s.Unclaimed > 0 && s.Claimed < EdgeSize);
        if (first != null)
        {
            return new PieceChoice(first, first.Claimed, PieceAt(first.Claimed, 0));
        }

        // 2. Its tail, where an MP4 or WebM file may keep its index, from the last byte backwards in small pieces,
        //    even out of someone else's range (past that connection's current request, which it finishes).
        foreach (Segment s in segments.Where(s => s.End > tailStart && s.Unclaimed > 0).OrderByDescending(s => s.End))
        {
            // An owned stretch keeps at least a piece of its own, and its owner's current request whole.
            long floor = s.IsOwned ? System.Math.Max(s.Claimed + NearPieceSize, s.RequestEnd) : s.Claimed;
            long at = System.Math.Max(System.Math.Max(floor, tailStart), s.End - NearPieceSize);
            if (at < s.End)
            {
                return new PieceChoice(s, at);
            }
        }

        // 3. The nearest start at or after a play head; 4. nothing left after the play heads: fill in what lies before.
        PieceChoice? nearest = NearestAfter(segments, heads);
        if (nearest != null)
        {
            return nearest;
        }

        Segment? rest = segments.Where(s => !s.IsOwned && s.Unclaimed > 0).OrderBy(s => s.Claimed).FirstOrDefault();
        return rest == null ? null : new PieceChoice(rest, rest.Claimed, PieceSize);
    }

    // A free stretch, or one piece past a busy connection. With several readers, each idle connection goes to whichever
    // of them has the closest unfetched byte, so the connections spread over the readers instead of all following the
    // latest one.
    private PieceChoice? NearestAfter(IReadOnlyList<Segment> segments, IReadOnlyList<long> heads)
    {
        PieceChoice? best = null;
        long bestDistance = long.MaxValue;
        foreach (long head in heads)
        {
            foreach (Segment s in segments.Where(s => s.Unclaimed > 0 && s.End > head))
            {
                long start = s.IsOwned
                    ? System.Math.Max(System.Math.Max(s.Claimed + PieceAt(s.Claimed, head), s.RequestEnd), head)
                    : System.Math.Max(s.Claimed, head);
                if (start < s.End && start - head < bestDistance)
                {
                    bestDistance = start - head;
                    best = new PieceChoice(s, start, PieceAt(start, head));
                }
            }
        }

        return best;
    }

    private long PieceAt(long start, long head) => start >= head && start - head < NearWindow ? NearPieceSize : PieceSize;
}
