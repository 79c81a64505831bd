namespace Downloader.Core.Planning;

/// <summary>
/// One stretch of the file that a single connection fetches in order. Bytes [Start, Position) are written,
/// [Position, Claimed) are being written, and [Claimed, End) are still to fetch. Only <see cref="SegmentMap"/>
/// changes these fields, under its lock; selectors read them while the map holds that lock.
/// </summary>
public sealed class Segment
{
    internal Segment(int id, long start, long end)
    {
        Id = id;
        Start = start;
        Position = start;
        Claimed = start;
        End = end;
    }

    public int Id { get; }

    public long Start { get; }

    public long Position { get; internal set; }

    public long Claimed { get; internal set; }

    public long End { get; internal set; }

    public bool IsOwned { get; internal set; }

    /// <summary>Where the owner's current request ends; a split beyond it lets the owner finish that request cleanly.</summary>
    public long RequestEnd { get; internal set; }

    /// <summary>The owner's recent throughput, which a selector uses to spot a lagging connection.</summary>
    public double BytesPerSecond { get; internal set; }

    /// <summary>Bytes nobody has claimed yet.</summary>
    public long Unclaimed => End - Claimed;
}
