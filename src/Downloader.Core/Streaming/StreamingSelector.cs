using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Downloader.Core.Planning;

namespace Downloader.Core.Streaming;

/// <summary>
/// Piece selection for watching while downloading: the head of the file first and its tail early (where MP4 keeps
/// its index), then the pieces right after the play head, one connection per piece, so the bytes the player needs
/// next arrive over several connections at once.
/// </summary>
public sealed class StreamingSelector : IPieceSelector
{
    private long _playHead;

    public StreamingSelector(long pieceSize, long edgeSize)
    {
        PieceSize = pieceSize;
        EdgeSize = edgeSize;
    }

    /// <summary>How much each connection takes ahead of the next; video-funnel and IDM use about a megabyte.</summary>
    public long PieceSize { get; }

    /// <summary>How much of the head and of the tail is fetched before anything else.</summary>
    public long EdgeSize { get; }

    /// <summary>The first byte the player needs; moved by the local server as requests come in.</summary>
    public long PlayHead
    {
        get => Interlocked.Read(ref _playHead);
        set => Interlocked.Exchange(ref _playHead, value);
    }

    public PieceChoice? Choose(IReadOnlyList<Segment> segments, long minSplitSize)
    {
        long head = PlayHead;
        long length = segments.Count == 0 ? 0 : segments.Max(s => s.End);
        long tailStart = System.Math.Max(0, length - EdgeSize);

        // 1. The file's head.
        Segment? first = segments.FirstOrDefault(s => !s.IsOwned && s.Unclaimed > 0 && s.Claimed < EdgeSize);
        if (first != null)
        {
            return new PieceChoice(first, first.Claimed);
        }

        // 2. Its tail, where an MP4 may keep its index, even out of someone else's range.
        foreach (Segment s in segments.Where(s => s.End > tailStart && s.Unclaimed > 0))
        {
            if (!s.IsOwned)
            {
                return new PieceChoice(s, System.Math.Max(s.Claimed, System.Math.Min(tailStart, s.End - 1)));
            }

            if (s.Claimed < tailStart && tailStart >= s.RequestEnd)
            {
                return new PieceChoice(s, tailStart);
            }
        }

        // 3. The nearest start at or after the play head: a free stretch, or one piece past a busy connection.
        PieceChoice? best = null;
        long bestStart = long.MaxValue;
        foreach (Segment s in segments.Where(s => s.Unclaimed > 0 && s.End > head))
        {
            long start = s.IsOwned
                ? System.Math.Max(System.Math.Max(s.Claimed + PieceSize, s.RequestEnd), head)
                : System.Math.Max(s.Claimed, head);
            if (start < s.End && start < bestStart)
            {
                bestStart = start;
                best = new PieceChoice(s, start);
            }
        }

        if (best != null)
        {
            return best;
        }

        // 4. Nothing left after the play head: fill in what lies before it.
        Segment? rest = segments.Where(s => !s.IsOwned && s.Unclaimed > 0).OrderBy(s => s.Claimed).FirstOrDefault();
        return rest == null ? null : new PieceChoice(rest, rest.Claimed);
    }
}
