using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Planning;

/// <summary>
/// The bulk strategy: start free segments first, then take half of the largest remaining range (the IDM/axel rule),
/// and near the end hand a lagging connection's whole tail to an idle one, so the last percent is not left to the
/// slowest connection.
/// </summary>
public sealed class LargestRemainingSelector : IPieceSelector
{
    private const long Alignment = 4096;

    /// <summary>A connection slower than this fraction of the mean is lagging.</summary>
    public double LaggingFraction { get; init; } = 0.5;

    /// <summary>A lagging tail is only taken over when it would need at least this long at the owner's speed.</summary>
    public double MinimumTailSeconds { get; init; } = 1.0;

    public PieceChoice? Choose(IReadOnlyList<Segment> segments, long fileLength, long minSplitSize)
    {
        Segment? free = segments.Where(s => !s.IsOwned && s.Unclaimed > 0)
            .OrderByDescending(s => s.Unclaimed)
            .FirstOrDefault();
        if (free != null)
        {
            return new PieceChoice(free, free.Claimed);
        }

        // A silent connection keeps nothing: its whole remainder goes to the one asking, at any point of the download.
        Segment? stalled = SilentConnections.FindStalled(segments);
        if (stalled != null)
        {
            return new PieceChoice(stalled, stalled.Claimed);
        }

        Segment? largest = segments.Where(s => s.IsOwned)
            .OrderByDescending(s => s.Unclaimed)
            .FirstOrDefault();
        if (largest != null && largest.Unclaimed >= 2 * minSplitSize)
        {
            long mid = largest.Claimed + (largest.Unclaimed / 2);
            long aligned = mid / Alignment * Alignment;
            long split = aligned > largest.Claimed + minSplitSize ? aligned : mid;

            // Cutting into the owner's current request would drop its connection; past it, the owner finishes cleanly.
            if (largest.RequestEnd > split && largest.End - largest.RequestEnd >= minSplitSize)
            {
                split = largest.RequestEnd;
            }

            return new PieceChoice(largest, split);
        }

        return ChooseLaggingTail(segments);
    }

    private PieceChoice? ChooseLaggingTail(IReadOnlyList<Segment> segments)
    {
        // Finished segments keep their last speed, so the connections that are done set the yardstick. An owner's
        // speed decays while it is silent, so silence counts as slowness at once.
        var measured = segments.Where(s => s.BytesPerSecond > 0).ToList();
        if (measured.Count < 2)
        {
            return null;
        }

        double mean = measured.Average(s => s.BytesPerSecond);
        Segment? lagging = measured
            .Where(s => s.IsOwned && s.Unclaimed > 0 && s.EffectiveBytesPerSecond < mean * LaggingFraction)
            .Where(s => s.Unclaimed / s.EffectiveBytesPerSecond >= MinimumTailSeconds)
            .OrderByDescending(s => s.Unclaimed / s.EffectiveBytesPerSecond)
            .FirstOrDefault();
        return lagging == null ? null : new PieceChoice(lagging, lagging.Claimed);
    }
}
