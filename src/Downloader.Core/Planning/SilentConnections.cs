using System.Collections.Generic;
using System.Linq;

namespace Downloader.Core.Planning;

/// <summary>
/// The rule for a connection that went silent (a socket left open, nothing sent): silent for
/// <see cref="StallSeconds"/>, having gone silent while the others still received (for at least
/// <see cref="DecayAfterSeconds"/> after it), it loses everything it had not fetched, at any point of the download,
/// to whichever connection asks next: an idle one at the end, or one that finished its own range. Judged against the
/// peers, so a network or server that pauses as a whole takes nothing from anyone.
/// Shared by the bulk and the streaming selectors.
/// </summary>
public static class SilentConnections
{
    /// <summary>Silence shorter than this is a normal gap between reads, and costs no speed.</summary>
    public const double DecayAfterSeconds = 0.5;

    /// <summary>Silence this long, begun while the others went on receiving, is a stall.</summary>
    public const double StallSeconds = 2.0;

    /// <summary>The stalled segment with the most left to fetch, or null.</summary>
    public static Segment? FindStalled(IReadOnlyList<Segment> segments)
    {
        return segments
            .Where(s => s.IsOwned && s.Unclaimed > 0 && s.SilentSeconds >= StallSeconds && s.SilentWhileOthersReceived >= DecayAfterSeconds)
            .OrderByDescending(s => s.Unclaimed)
            .FirstOrDefault();
    }
}
