using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;

namespace ModulePipeline;

/// <summary>
/// What the host was sent: records in all, Completed ones, distinct activities, the most records within one
/// whole second of the run, the most activities shown at once, and Completed records for activities never shown.
/// Counting is all it does with a record; a user's host would render it, which costs more.
/// </summary>
internal sealed class ProgressTally
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = new();
    private readonly HashSet<(long Source, int Activity)> _seen = new();
    private readonly HashSet<(long Source, int Activity)> _open = new();
    private long _second = -1;
    private long _inSecond;

    public long Records { get; private set; }

    public long Completed { get; private set; }

    public long CompletedNeverShown { get; private set; }

    public long MaxPerSecond { get; private set; }

    public int MaxOpen { get; private set; }

    public int Activities
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Starts the clock the per-second buckets are cut from (the start of the pipeline).</summary>
    public void Start() => _clock.Start();

    public void Add(long sourceId, ProgressRecord record)
    {
        lock (_gate)
        {
            Records++;
            long second = (long)_clock.Elapsed.TotalSeconds;
            if (second != _second)
            {
                _second = second;
                _inSecond = 0;
            }

            _inSecond++;
            if (_inSecond > MaxPerSecond)
            {
                MaxPerSecond = _inSecond;
            }

            var key = (sourceId, record.ActivityId);
            if (record.RecordType == ProgressRecordType.Completed)
            {
                Completed++;
                if (!_seen.Contains(key))
                {
                    CompletedNeverShown++;
                }

                _open.Remove(key);
                return;
            }

            _seen.Add(key);
            _open.Add(key);
            if (_open.Count > MaxOpen)
            {
                MaxOpen = _open.Count;
            }
        }
    }
}
