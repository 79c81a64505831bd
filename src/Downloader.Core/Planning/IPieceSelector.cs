using System.Collections.Generic;

namespace Downloader.Core.Planning;

/// <summary>
/// Chooses what an idle connection fetches next. Bulk downloads take the largest gap; streaming takes what is
/// nearest the play head. Called under the segment map's lock, so it must be quick and must not block.
/// </summary>
public interface IPieceSelector
{
    PieceChoice? Choose(IReadOnlyList<Segment> segments, long minSplitSize);
}
