namespace Downloader.Core.Planning;

/// <summary>
/// One stretch of the file that a single connection fetches in order. Bytes [Start, Position) are written,
/// [Position, Claimed) are being written, and [Claimed, End) are still to fetch. Only <see cref="SegmentMap"/>
/// changes these fields, under its lock; selectors read them while the map holds that lock. The one exception to
/// reading under the lock: the connection that owns a segment reads its Position and Claimed directly, since only
/// that connection's own calls into the map move them while it owns the segment. End is moved by other connections
/// (a split), so even the owner reads it through the map (<see cref="SegmentMap.Unclaimed"/>).
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

    /// <summary>
    /// How long the owner has written nothing, as of the selector's call (the map refreshes it before each choice).
    /// </summary>
    public double SilentSeconds { get; internal set; }

    /// <summary>
    /// How long other connections went on receiving while this one was silent: the part of its silence that is its
    /// own, not the network's or the server's as a whole.
    /// </summary>
    public double SilentWhileOthersReceived { get; internal set; }

    /// <summary>
    /// The owner's speed as a selector should judge it: the measured speed, decaying while no byte arrives, so a
    /// silent connection counts as slow at once instead of keeping its last good speed until a read timeout.
    /// </summary>
    public double EffectiveBytesPerSecond =>
        SilentSeconds <= SilentConnections.DecayAfterSeconds ? BytesPerSecond : BytesPerSecond * SilentConnections.DecayAfterSeconds / SilentSeconds;

    /// <summary>When the owner last wrote (or took the segment), in the map's clock's timestamps.</summary>
    internal long LastActivity { get; set; }

    /// <summary>Cancelled when the owner's whole remainder was taken over: it should stop waiting on its response.</summary>
    internal System.Threading.CancellationTokenSource Abandon { get; set; } = new();

    /// <summary>Fires when another connection took over everything this owner had left.</summary>
    public System.Threading.CancellationToken Abandoned => Abandon.Token;

    /// <summary>Bytes nobody has claimed yet.</summary>
    public long Unclaimed => End - Claimed;
}
