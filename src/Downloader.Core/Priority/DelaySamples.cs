using System;

namespace Downloader.Core.Priority;

/// <summary>
/// The lowest delay sample since it was last taken, from any thread: the kernel's round-trip times of our sockets,
/// or, where the runtime cannot read those, how long our own requests wait for their first byte.
/// </summary>
internal sealed class DelaySamples
{
    private readonly object _gate = new();
    private TimeSpan? _lowest;

    public void Add(TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        lock (_gate)
        {
            _lowest = _lowest is TimeSpan lowest && lowest <= delay ? lowest : delay;
        }
    }

    /// <summary>The lowest sample since the last call, or null if there was none.</summary>
    public TimeSpan? Take()
    {
        lock (_gate)
        {
            TimeSpan? lowest = _lowest;
            _lowest = null;
            return lowest;
        }
    }
}
