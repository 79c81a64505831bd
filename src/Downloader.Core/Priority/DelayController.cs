using System;

namespace Downloader.Core.Priority;

/// <summary>
/// The Background priority's control law: LEDBAT (RFC 6817) and LEDBAT++ turned from a congestion window into a rate
/// and a connection count, because a downloader decides how fast it reads, not what the server sends (a full receive
/// buffer closes the window, so the read rate is the send rate). Each update takes the lowest delay sample since the
/// last one, subtracts the base delay (the lowest over the last minutes) and compares the queueing delay left with
/// the target: below it the rate grows in proportion to how far below (multiplicatively, so an idle link is found
/// again within seconds), and a connection comes back each <see cref="BackgroundSettings.ConnectionRegrowth"/> while
/// the queue stays under half the target; above it the rate is cut as LEDBAT++ cuts, by up to half at a time and
/// at most once per <see cref="BackgroundSettings.CutInterval"/>, and a connection is shed (half of them when the queue
/// is twice the target or more). Pure: the caller gives the time and the samples, so tests drive it with a fake clock.
/// </summary>
public sealed class DelayController
{
    private readonly BackgroundSettings _settings;
    private readonly BaseDelay _base;
    private readonly LinkCapacity _capacity;
    private TimeSpan _lastUpdate;
    private TimeSpan _lastCut;
    private TimeSpan _lastConnectionChange;
    private int _maxConnections;

    /// <param name="maxConnections">The most connections it may grow to (a file's connections).</param>
    /// <param name="now">The caller's clock, read the same way for every later update.</param>
    public DelayController(BackgroundSettings settings, int maxConnections, TimeSpan now)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _base = new BaseDelay(settings.BaseHistoryMinutes);
        _capacity = new LinkCapacity(settings);
        _maxConnections = Math.Max(1, maxConnections);
        BytesPerSecond = Math.Max(settings.MinimumBytesPerSecond, settings.InitialBytesPerSecond);
        Connections = 1;
        _lastUpdate = now;
        _lastCut = now - settings.CutInterval;
        _lastConnectionChange = now;
    }

    /// <summary>The rate to read at.</summary>
    public double BytesPerSecond { get; private set; }

    /// <summary>
    /// The most to read per second, whatever the delay: a share of the link's measured capacity (see
    /// <see cref="LinkCapacity"/>); 0 for none (before the first measurement, and while measuring again).
    /// </summary>
    public double CeilingBytesPerSecond { get; private set; }

    /// <summary>The link's capacity as last measured; 0 before the first measurement.</summary>
    public double CapacityBytesPerSecond => _capacity.BytesPerSecond;

    /// <summary>How many connections a file may use.</summary>
    public int Connections { get; private set; }

    /// <summary>The lowest delay of the last minutes (zero before the first sample).</summary>
    public TimeSpan BaseDelay => _base.Minimum ?? TimeSpan.Zero;

    /// <summary>How many updates came with a delay sample.</summary>
    public int Samples { get; private set; }

    /// <summary>The last queueing delay measured: the current delay above the base.</summary>
    public TimeSpan QueueingDelay { get; private set; }

    /// <summary>The ceiling of <see cref="Connections"/>; lowering it sheds at once.</summary>
    public int MaxConnections
    {
        get => _maxConnections;
        set
        {
            _maxConnections = Math.Max(1, value);
            Connections = Math.Min(Connections, _maxConnections);
        }
    }

    /// <param name="now">The time of this update, on the constructor's clock.</param>
    /// <param name="delay">The lowest delay sample since the last update (RFC 6817's current-delay filter), or null
    /// when nothing was measured: then nothing is learnt and nothing changes.</param>
    /// <param name="delivered">The bytes per second actually read lately: growth stops at twice that, and a cut
    /// starts from it when it is lower than the rate, since a cut of a rate not reached would slow nothing down.</param>
    public void Update(TimeSpan now, TimeSpan? delay, double delivered)
    {
        if (delay is not TimeSpan current)
        {
            return;
        }

        // Growth is by the time since the last sample (at most a second): request latency comes about once a second
        // per connection, the kernel's figures every tick.
        double seconds = Math.Min(1.0, Math.Max(0, (now - _lastUpdate).TotalSeconds));
        _lastUpdate = now;
        Samples++;
        _base.Add(now, current);
        QueueingDelay = current - _base.Minimum!.Value;
        double target = _settings.TargetDelay.TotalSeconds;
        double queue = QueueingDelay.TotalSeconds;
        _capacity.Observe(now, queue > target / 2 && queue <= 2 * target, delivered);
        CeilingBytesPerSecond = _capacity.Ceiling(now);
        if (queue <= target)
        {
            Grow(now, seconds, (target - queue) / target, delivered, idle: queue <= target / 2);
        }
        else if (now - _lastCut >= _settings.CutInterval)
        {
            Cut(now, queue / target, delivered);
        }
    }

    private void Grow(TimeSpan now, double seconds, double offTarget, double delivered, bool idle)
    {
        double next = BytesPerSecond * (1 + (_settings.GrowthPerSecond * offTarget * seconds));

        // Never far above what is read: a rate the server cannot fill would take many cuts once a queue appears.
        double ceiling = Math.Max(_settings.InitialBytesPerSecond, 2 * delivered);
        BytesPerSecond = Math.Min(next, Math.Max(ceiling, BytesPerSecond));
        if (CeilingBytesPerSecond > 0)
        {
            BytesPerSecond = Math.Max(_settings.MinimumBytesPerSecond, Math.Min(BytesPerSecond, CeilingBytesPerSecond));
        }

        if (idle && Connections < _maxConnections && now - _lastConnectionChange >= _settings.ConnectionRegrowth)
        {
            Connections++;
            _lastConnectionChange = now;
        }
    }

    private void Cut(TimeSpan now, double overTarget, double delivered)
    {
        // LEDBAT++'s multiplicative decrease: in proportion to how far above the target, by half at most.
        double factor = Math.Max(0.5, 2 - overTarget);
        double from = delivered > 0 ? Math.Min(BytesPerSecond, delivered) : BytesPerSecond;
        BytesPerSecond = Math.Max(_settings.MinimumBytesPerSecond, from * factor);
        Connections = Math.Max(1, overTarget >= 2 ? Connections / 2 : Connections - 1);
        _lastCut = now;
        _lastConnectionChange = now;
    }
}
