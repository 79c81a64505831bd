namespace Downloader.Core.Planning;

/// <summary>
/// A selector's answer: take <see cref="Segment"/> from <see cref="SplitAt"/> to its end. For an owned segment this
/// cuts the owner's range short; when <see cref="SplitAt"/> equals its claimed position the whole remainder is handed
/// over, which is how a lagging connection's tail is taken from it.
/// </summary>
public readonly struct PieceChoice
{
    public PieceChoice(Segment segment, long splitAt)
    {
        Segment = segment;
        SplitAt = splitAt;
    }

    public Segment Segment { get; }

    public long SplitAt { get; }
}
