using Downloader.Core.Priority;

namespace Downloader.Core.Tests.Unit;

/// <summary>
/// The Background controller driven by a fake clock and synthetic delay samples: deterministic, so every figure is
/// exact. A tick is 50 ms, as the pacer's; the base delay is 20 ms; the link carries 5 MB/s, so what is read is the
/// controller's rate up to that.
/// </summary>
public sealed class DelayControllerTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(20);
    // The control law with a 5 ms target, so the figures read easily (the default is 1 ms).
    private static readonly BackgroundSettings Settings = new() { TargetDelay = TimeSpan.FromMilliseconds(5) };
    private const double Link = 5_000_000;

    [Fact]
    public void On_an_idle_link_the_rate_grows_and_connections_come_back_one_a_second()
    {
        var run = new Run(maxConnections: 8);

        run.For(TimeSpan.FromSeconds(3), Base);

        // 1.5 per second of itself at zero queueing delay: about 2.1 times a second, from 256 KiB/s.
        Assert.True(run.Controller.BytesPerSecond > 20 * Settings.InitialBytesPerSecond, $"rate {run.Controller.BytesPerSecond}");
        Assert.Equal(4, run.Controller.Connections);
        run.For(TimeSpan.FromSeconds(10), Base);
        Assert.Equal(8, run.Controller.Connections);
    }

    [Fact]
    public void A_queue_above_the_target_cuts_the_rate_by_half_at_most_and_sheds_connections()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        Assert.Equal(2 * Link, run.Controller.BytesPerSecond);

        // Other traffic: 50 ms of queue, ten times the target. The cut starts from what is read, not from a rate
        // above it, or it would slow nothing down.
        run.Step(Base + TimeSpan.FromMilliseconds(50));

        Assert.Equal(Link / 2, run.Controller.BytesPerSecond, 3);
        Assert.Equal(4, run.Controller.Connections);
        Assert.Equal(TimeSpan.FromMilliseconds(50), run.Controller.QueueingDelay);
    }

    [Fact]
    public void It_cuts_at_most_once_per_interval_since_samples_lag_the_queue()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        run.Step(Base + TimeSpan.FromMilliseconds(50));
        double afterFirstCut = run.Controller.BytesPerSecond;

        // 50 and 100 ms later: within the 150 ms cut interval.
        run.Step(Base + TimeSpan.FromMilliseconds(50));
        run.Step(Base + TimeSpan.FromMilliseconds(50));
        Assert.Equal(afterFirstCut, run.Controller.BytesPerSecond);

        run.Step(Base + TimeSpan.FromMilliseconds(50));
        Assert.Equal(afterFirstCut / 2, run.Controller.BytesPerSecond, 3);
    }

    [Fact]
    public void Sustained_queueing_brings_it_down_to_the_minimum_and_one_connection_within_two_seconds()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);

        run.For(TimeSpan.FromSeconds(2), Base + TimeSpan.FromMilliseconds(200));

        Assert.Equal(Settings.MinimumBytesPerSecond, run.Controller.BytesPerSecond);
        Assert.Equal(1, run.Controller.Connections);
    }

    [Fact]
    public void A_queue_just_above_the_target_cuts_a_little_and_one_at_the_target_holds()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        double before = run.Controller.BytesPerSecond;

        run.Step(Base + Settings.TargetDelay);
        Assert.Equal(before, run.Controller.BytesPerSecond);

        // 6 ms against a 5 ms target: 1.2 times over, so 80% of what is read (LEDBAT++: 1 - (delay/target - 1)).
        run.Step(Base + TimeSpan.FromMilliseconds(6));
        Assert.Equal(Link * 0.8, run.Controller.BytesPerSecond, 3);
        Assert.Equal(7, run.Controller.Connections);
    }

    [Fact]
    public void Once_the_other_traffic_is_gone_it_grows_back()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        run.For(TimeSpan.FromSeconds(3), Base + TimeSpan.FromMilliseconds(200));
        Assert.Equal(Settings.MinimumBytesPerSecond, run.Controller.BytesPerSecond);

        run.For(TimeSpan.FromSeconds(4), Base);

        Assert.True(run.Controller.BytesPerSecond > 50 * Settings.MinimumBytesPerSecond, $"rate {run.Controller.BytesPerSecond}");
        Assert.True(run.Controller.Connections >= 4, $"connections {run.Controller.Connections}");
    }

    [Fact]
    public void Without_samples_nothing_changes()
    {
        var run = new Run(maxConnections: 8);
        double initial = run.Controller.BytesPerSecond;

        run.For(TimeSpan.FromSeconds(5), null);

        Assert.Equal(initial, run.Controller.BytesPerSecond);
        Assert.Equal(1, run.Controller.Connections);
    }

    [Fact]
    public void Growth_stops_at_twice_what_is_read_so_a_slow_server_does_not_inflate_the_rate()
    {
        var run = new Run(maxConnections: 8) { Delivered = _ => 1_000_000 };

        run.For(TimeSpan.FromSeconds(10), Base);

        Assert.Equal(2_000_000, run.Controller.BytesPerSecond);
    }

    [Fact]
    public void Lowering_its_ceiling_sheds_connections_at_once()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);

        run.Controller.MaxConnections = 2;

        Assert.Equal(2, run.Controller.Connections);
    }

    [Fact]
    public void A_queue_standing_for_the_probe_measures_the_link_and_then_it_reads_at_most_nine_tenths_of_it()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        Assert.Equal(0, run.Controller.CeilingBytesPerSecond);

        // Our own queue, at the target (above half of it: the link is busy with us), for the probe's half second.
        run.For(TimeSpan.FromSeconds(1), Base + Settings.TargetDelay);
        Assert.Equal(Link, run.Controller.CapacityBytesPerSecond);

        // Then the queue is gone, and growth stops at the ceiling: the link keeps a tenth idle, its bucket full.
        run.For(TimeSpan.FromSeconds(5), Base);
        Assert.Equal(0.9 * Link, run.Controller.CeilingBytesPerSecond, 3);
        Assert.Equal(0.9 * Link, run.Controller.BytesPerSecond, 3);
    }

    [Fact]
    public void The_capacity_leaves_out_the_first_half_of_the_probe_where_a_full_bucket_bursts()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);

        // A bucket that had filled lets twice the link through for the first quarter second of the queue.
        run.Delivered = _ => 2 * Link;
        run.For(TimeSpan.FromMilliseconds(250), Base + Settings.TargetDelay);
        run.Delivered = _ => Link;
        run.For(TimeSpan.FromSeconds(1), Base + Settings.TargetDelay);

        Assert.Equal(Link, run.Controller.CapacityBytesPerSecond, 3);
    }

    [Fact]
    public void Every_probe_interval_the_ceiling_is_lifted_and_a_faster_link_is_measured_again()
    {
        var run = new Run(maxConnections: 8);
        run.For(TimeSpan.FromSeconds(10), Base);
        run.For(TimeSpan.FromSeconds(1), Base + Settings.TargetDelay);
        run.For(Settings.ProbeInterval - TimeSpan.FromSeconds(2), Base);
        Assert.Equal(0.9 * Link, run.Controller.CeilingBytesPerSecond, 3);

        // A probe interval after the measurement the ceiling is lifted; the link now carries twice as much.
        run.For(TimeSpan.FromSeconds(2), Base);
        Assert.Equal(0, run.Controller.CeilingBytesPerSecond);
        run.Delivered = _ => 2 * Link;
        run.For(TimeSpan.FromSeconds(1), Base + Settings.TargetDelay);

        Assert.Equal(2 * Link, run.Controller.CapacityBytesPerSecond, 3);
        Assert.Equal(1.8 * Link, run.Controller.CeilingBytesPerSecond, 3);
    }

    [Fact]
    public void A_long_queue_is_other_traffic_and_what_is_read_under_it_is_not_taken_for_the_link()
    {
        var run = new Run(maxConnections: 8) { Delivered = _ => Link / 10 };
        run.For(TimeSpan.FromSeconds(10), Base);

        run.For(TimeSpan.FromSeconds(3), Base + TimeSpan.FromMilliseconds(50));

        Assert.Equal(0, run.Controller.CapacityBytesPerSecond);
        Assert.Equal(0, run.Controller.CeilingBytesPerSecond);
    }

    [Fact]
    public void Headroom_of_one_turns_the_ceiling_off()
    {
        var run = new Run(maxConnections: 8, Settings with { Headroom = 1 });
        run.For(TimeSpan.FromSeconds(10), Base);
        run.For(TimeSpan.FromSeconds(1), Base + Settings.TargetDelay);

        run.For(TimeSpan.FromSeconds(5), Base);

        Assert.Equal(0, run.Controller.CeilingBytesPerSecond);
        Assert.Equal(2 * Link, run.Controller.BytesPerSecond);
    }

    [Fact]
    public void The_base_delay_is_the_lowest_of_the_last_minutes_and_an_old_minimum_is_forgotten()
    {
        var baseDelay = new BaseDelay(buckets: 10);
        baseDelay.Add(TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        for (int minute = 1; minute <= 9; minute++)
        {
            baseDelay.Add(TimeSpan.FromMinutes(minute), TimeSpan.FromMilliseconds(30));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(5), baseDelay.Minimum);

        // An eleventh minute pushes the first out: the route changed, and its old low is no longer the base.
        baseDelay.Add(TimeSpan.FromMinutes(10), TimeSpan.FromMilliseconds(30));
        Assert.Equal(TimeSpan.FromMilliseconds(30), baseDelay.Minimum);
    }

    /// <summary>A controller on a fake clock: each step is one tick with one delay sample and the rate read back.</summary>
    private sealed class Run
    {
        private TimeSpan _now = TimeSpan.FromSeconds(100);

        public Run(int maxConnections, BackgroundSettings? settings = null)
        {
            Controller = new DelayController(settings ?? Settings, maxConnections, _now);
        }

        public DelayController Controller { get; }

        /// <summary>What is read, given the controller's rate: by default all of it, up to the link's speed.</summary>
        public Func<double, double> Delivered { get; set; } = rate => Math.Min(rate, Link);

        public void Step(TimeSpan? delay)
        {
            _now += Tick;
            Controller.Update(_now, delay, Delivered(Controller.BytesPerSecond));
        }

        public void For(TimeSpan duration, TimeSpan? delay)
        {
            for (TimeSpan end = _now + duration; _now < end;)
            {
                Step(delay);
            }
        }
    }
}
