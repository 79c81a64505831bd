namespace Downloader.Core.Planning;

/// <summary>
/// A selector's answer: take <see cref="Segment"/> from <see cref="SplitAt"/> to its end, or only
/// <see cref="MaxLength"/> bytes of it. For an owned segment this cuts the owner's range short; when
/// <see cref="SplitAt"/> equals its claimed position the whole remainder is handed over, which is how a lagging
/// connection's tail is taken from it.
/// </summary>
public readonly struct PieceChoice
{
    public PieceChoice(Segment segment, long splitAt, long maxLength = 0)
    {
        Segment = segment;
        SplitAt = splitAt;
        MaxLength = maxLength;
    }

    public Segment Segment { get; }

    public long SplitAt { get; }

    /// <summary>
    /// At most this many bytes are taken and the rest after them stays free for others; 0 takes everything to the
    /// segment's end. Streaming uses it to hand out small pieces right after the play head.
    /// </summary>
    public long MaxLength { get; }
}
