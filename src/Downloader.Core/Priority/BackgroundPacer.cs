using System;
using System.Threading;
using System.Threading.Tasks;

namespace Downloader.Core.Priority;

/// <summary>
/// Runs the <see cref="DelayController"/> of a client while its priority is Background: every tick it takes the
/// lowest delay sample (the kernel's RTT of our sockets, or our requests' latency where the runtime cannot read the
/// kernel's), updates the controller and hands its rate and connection count to <see cref="IPacedLimits"/>. Off, it
/// lifts both. One loop per client, started and stopped by the priority's changes.
/// </summary>
internal sealed class BackgroundPacer : IDisposable
{
    private readonly IPacedLimits _limits;
    private readonly SocketWatch _sockets;
    private readonly DelaySamples _latency;
    private readonly BackgroundSettings _settings;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly object _gate = new();
    private CancellationTokenSource? _running;
    private bool _disposed;
    private int _kernelSamples;

    public BackgroundPacer(IPacedLimits limits, SocketWatch sockets, DelaySamples latency, BackgroundSettings settings, TimeProvider time)
    {
        _limits = limits;
        _sockets = sockets;
        _latency = latency;
        _settings = settings;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>How many ticks had a round-trip time from the kernel (for tests: the socket path works).</summary>
    public int KernelSamples => Volatile.Read(ref _kernelSamples);

    /// <summary>The controller of the loop running now, for tests and diagnostics; null when off.</summary>
    public DelayController? Controller { get; private set; }

    /// <summary>Starts the loop (a fresh controller, from its initial rate) or stops it and lifts the limits.</summary>
    public void Run(bool on)
    {
        lock (_gate)
        {
            // Once the client is gone, a change of priority (Set-Download on an ended session) starts nothing.
            on &= !_disposed;
            if (on == (_running != null))
            {
                return;
            }

            _running?.Cancel();
            _running?.Dispose();
            _running = null;
            Controller = null;
            if (!on)
            {
                // New connections get the kernel's autotuned buffer again; open ones a large one (SocketWatch).
                _sockets.PacedBuffer = null;
                _limits.Pace(0, int.MaxValue);
                return;
            }

            _running = new CancellationTokenSource();
            Controller = new DelayController(_settings, _limits.ConnectionsPerFile, Now);
            Apply(Controller);
            _ = LoopAsync(Controller, _running.Token);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Run(false);
    }

    /// <summary>
    /// Sets what the controller decided. Where the kernel's figures can be read (we own the sockets), as a receive
    /// window (receiver-side LEDBAT): the connections read as fast as data comes and each socket's receive buffer
    /// holds what the rate needs over the base delay plus the target, so the server can never put more than that in
    /// the queue, the round-trip times stay those of a flowing connection, and a queue from other traffic slows us at
    /// once, within the kernel. Elsewhere (netstandard2.0: no socket), as a token bucket on the reads.
    /// </summary>
    private void Apply(DelayController controller)
    {
        if (!TcpRtt.Available)
        {
            _limits.Pace(controller.BytesPerSecond, controller.Connections);
            return;
        }

        double seconds = (controller.BaseDelay + _settings.TargetDelay).TotalSeconds;
        double window = controller.BytesPerSecond * seconds / Math.Max(1, controller.Connections);
        _sockets.PacedBuffer = (int)Math.Min(MaxWindow, Math.Max(_settings.MinimumWindowBytes, window));

        // The window cannot hold a rate below the link's where the round trip is short (a few segments of window
        // over a millisecond are more than most links carry), so the capacity's ceiling is a token bucket on the reads.
        _limits.Pace(controller.CeilingBytesPerSecond, controller.Connections);
    }

    private const int MaxWindow = 4 * 1024 * 1024;

    private TimeSpan Now => _time.GetElapsedTime(_start);

    private async Task LoopAsync(DelayController controller, CancellationToken cancellationToken)
    {
        long lastBytes = _limits.BytesRead;
        TimeSpan last = Now;
        double delivered = 0;
        try
        {
            while (true)
            {
#if NET8_0_OR_GREATER
                await Task.Delay(_settings.Tick, _time, cancellationToken).ConfigureAwait(false);
#else
                await _time.Delay(_settings.Tick, cancellationToken).ConfigureAwait(false);
#endif
                TimeSpan now = Now;
                long bytes = _limits.BytesRead;
                double seconds = (now - last).TotalSeconds;
                delivered = seconds > 0 ? (0.75 * delivered) + (0.25 * (bytes - lastBytes) / seconds) : delivered;
                (last, lastBytes) = (now, bytes);

                // The kernel's figures whenever we have sockets to read; request latency only without them, since the
                // two have different bases and one minimum over both would take server time for queueing.
                TimeSpan? kernel = _sockets.Sample();
                _kernelSamples += kernel == null ? 0 : 1;
                TimeSpan? latency = _latency.Take();
                controller.MaxConnections = _limits.ConnectionsPerFile;
                controller.Update(now, _sockets.Count > 0 ? kernel : latency, delivered);
                Apply(controller);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
