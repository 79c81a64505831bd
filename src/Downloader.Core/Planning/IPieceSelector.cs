using System.Collections.Generic;

namespace Downloader.Core.Planning;

/// <summary>
/// Chooses what an idle connection fetches next. Bulk downloads take the largest gap; streaming takes what is
/// nearest the play head. Called under the segment map's lock, so it must be quick and must not block.
/// </summary>
public interface IPieceSelector
{
    /// <param name="segments">Every segment of the file that was still missing when the transfer started; bytes
    /// written before then (a resume) have no segment.</param>
    /// <param name="fileLength">The whole file's length, which the segments alone may not reach.</param>
    /// <param name="minSplitSize">No split should leave a piece smaller than this.</param>
    PieceChoice? Choose(IReadOnlyList<Segment> segments, long fileLength, long minSplitSize);
}
