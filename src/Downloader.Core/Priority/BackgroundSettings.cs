using System;

namespace Downloader.Core.Priority;

/// <summary>
/// How a Background download reacts to queueing delay (plain data; see <see cref="DelayController"/>). The defaults
/// aim at a link whose other users must not notice: a queue of a few milliseconds is what a short web request pays
/// several times over (its handshake and each round of slow start wait behind it), so the target is small.
/// </summary>
public sealed record BackgroundSettings
{
    /// <summary>
    /// The queueing delay a background download may add: above it, it slows down. 1 ms: with the window as the
    /// actuator (BackgroundPacer.Apply) a small queue still fills the link, and every millisecond of it is paid by each
    /// round trip of everyone else's requests (bench/priority.sh: 5 ms let a 20 MB fetch take 1.5 times as long,
    /// 1 ms about 1.1 times). On a path whose delay jitters by more than that, Background holds back more than needed.
    /// </summary>
    public TimeSpan TargetDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The rate it never goes below, so that a busy link still sees it finish, slowly.</summary>
    public long MinimumBytesPerSecond { get; init; } = 32 * 1024;

    /// <summary>Where it starts: low, and grows from there while the link stays idle.</summary>
    public long InitialBytesPerSecond { get; init; } = 256 * 1024;

    /// <summary>
    /// How fast the rate grows on an idle link: by this fraction of itself per second when the queueing delay is zero,
    /// less as the delay nears the target (1.5: doubling in about half a second).
    /// </summary>
    public double GrowthPerSecond { get; init; } = 1.5;

    /// <summary>
    /// The least time between two cuts. Delay samples lag the queue (the kernel smooths them, the queue drains at the
    /// link's speed), so a cut is judged on samples taken after it, as LEDBAT++ cuts once per round trip.
    /// </summary>
    public TimeSpan CutInterval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How often one shed connection comes back while the link stays idle.</summary>
    public TimeSpan ConnectionRegrowth { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The smallest receive buffer a connection gets while Background (see BackgroundPacer.Apply): a few segments, so
    /// it always makes progress; on a queue of 300 ms from other traffic that is about 60 KB/s per connection.
    /// </summary>
    public int MinimumWindowBytes { get; init; } = 4 * 1024;

    /// <summary>
    /// The share of the link's measured capacity it reads at most (see LinkCapacity), so the link is never busy with it
    /// alone: a bottleneck's token bucket stays nearly full and a short request of someone else passes at once. 1 turns
    /// the ceiling off.
    /// </summary>
    public double Headroom { get; init; } = 0.9;

    /// <summary>
    /// How often the ceiling is lifted to measure the capacity again (a link that got faster is found then). Each probe
    /// fills the link for a second or so, and a short request of someone else meanwhile waits as without the ceiling
    /// (bench/priority.sh: 17-50 ms for a 64 KiB fetch, against under 1 ms between probes; every 20 s that was two of
    /// five fetches in a row), so rarely: a link's capacity seldom changes, and a figure taken low costs only us.
    /// </summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the queue must stand, in a probe, before what is read is taken as the capacity: long enough that a
    /// burst from a bucket that had filled has left the average of what is read (BackgroundPacer's, about 0.2 s).
    /// </summary>
    public TimeSpan ProbeDuration { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the delay is looked at and the rate set.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The base delay is the lowest seen over this many one-minute buckets (RFC 6817's BASE_HISTORY of 10), so a route
    /// that changed is forgotten in minutes and a queue never becomes the base.
    /// </summary>
    public int BaseHistoryMinutes { get; init; } = 10;
}
