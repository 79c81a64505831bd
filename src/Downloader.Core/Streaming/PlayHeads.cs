using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Downloader.Core.Streaming;

/// <summary>
/// Where the players are reading: one position per open request of the local server. Browsers keep several requests
/// open at once (one per seek, some of them idle), so the download must follow every reader that is actually reading,
/// not just the latest one; a reader that stopped reading a while ago no longer pulls connections.
/// </summary>
internal sealed class PlayHeads
{
    private readonly object _gate = new();
    private readonly Dictionary<int, Head> _heads = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _nextId;
    private long _latest;

    /// <summary>A reader that has not asked for bytes for this long no longer counts (a paused or abandoned request).</summary>
    public TimeSpan ActiveWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The position most recently asked for by any reader.</summary>
    public long Latest
    {
        get
        {
            lock (_gate)
            {
                return _latest;
            }
        }
    }

    public int Open()
    {
        lock (_gate)
        {
            return _nextId++;
        }
    }

    public void Move(int reader, long offset)
    {
        lock (_gate)
        {
            _heads[reader] = new Head(offset, _clock.Elapsed);
            _latest = offset;
        }
    }

    public void Close(int reader)
    {
        lock (_gate)
        {
            _heads.Remove(reader);
        }
    }

    /// <summary>The positions of readers active recently; with none, the latest position, so the download goes on in play order.</summary>
    public IReadOnlyList<long> Active()
    {
        lock (_gate)
        {
            TimeSpan since = _clock.Elapsed - ActiveWindow;
            var active = _heads.Values.Where(h => h.Touched >= since).Select(h => h.Offset).Distinct().ToList();
            return active.Count > 0 ? active : new List<long> { _latest };
        }
    }

    private readonly struct Head
    {
        public Head(long offset, TimeSpan touched)
        {
            Offset = offset;
            Touched = touched;
        }

        public long Offset { get; }

        public TimeSpan Touched { get; }
    }
}
