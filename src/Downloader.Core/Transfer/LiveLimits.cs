using System;
using System.Threading;
using System.Threading.Tasks;
using Downloader.Core.Priority;

namespace Downloader.Core.Transfer;

/// <summary>
/// The limits of a running client that can change while its downloads run (Set-Download): the rate cap, the
/// connections per file, the connections in all (-Threads) and the priority, with the Background controller's own
/// rate and connection count beside the user's. Built once per client from its options; every connection reads it.
/// A change reaches a connection at its next read (the rate) or its next request (the connections; requests last
/// about <see cref="DownloadOptions.RequestDuration"/>), so within about a second.
/// </summary>
public sealed class LiveLimits : IPacedLimits, IDisposable
{
    private readonly BandwidthLimiter _cap;
    // A short burst: a quarter second of credit, read at the link's speed after a stall, would drain a bottleneck's
    // bucket for seconds, which is what the Background ceiling is there to keep full.
    private readonly BandwidthLimiter _paced = new(0, TimeSpan.FromMilliseconds(20));
    private readonly ConnectionBudget? _budget;
    private readonly BackgroundPacer _pacer;
    private readonly SocketWatch _sockets;
    private readonly object _gate = new();
    private TaskCompletionSource<bool> _changed = NewSignal();
    private int _perFile;
    private int _pacedConnections = int.MaxValue;
    private int _priority;
    private long _bytesRead;

    internal LiveLimits(DownloadOptions options, BandwidthLimiter cap, ConnectionBudget? budget, SocketWatch sockets, DelaySamples latency, TimeProvider time)
    {
        _cap = cap;
        _budget = budget;
        _sockets = sockets;
        _perFile = Math.Max(1, options.MaxConnectionsPerFile);
        Ceiling = Math.Max(_perFile, budget?.Total ?? 0);
        Latency = latency;
        _pacer = new BackgroundPacer(this, sockets, latency, options.Background, time);
        Priority = options.Priority;
        BoundReceiveBuffers();
    }

    /// <summary>The rate cap for all connections together, in bytes per second; 0 for none.</summary>
    public long MaximumBytesPerSecond
    {
        get => _cap.BytesPerSecond;
        set
        {
            _cap.BytesPerSecond = Math.Max(0, value);
            BoundReceiveBuffers();
        }
    }

    /// <summary>The most connections one file may use; from 1 up to <see cref="Ceiling"/>.</summary>
    public int ConnectionsPerFile
    {
        get => Volatile.Read(ref _perFile);
        set
        {
            Volatile.Write(ref _perFile, Math.Min(Ceiling, Math.Max(1, value)));
            BoundReceiveBuffers();
            Signal();
        }
    }

    /// <summary>
    /// The most connections a file can be given while the client runs: the connections it started with per file, or
    /// in all when that is more (a file's connections are started up front and wait while not allowed).
    /// </summary>
    public int Ceiling { get; }

    /// <summary>The connections all downloads of the client may use at once; null when only per-file limits apply.</summary>
    public int? Threads
    {
        get => _budget?.Total;
        set
        {
            if (_budget == null || value is not int total)
            {
                throw new InvalidOperationException("This session has no overall connection limit to change.");
            }

            _budget.Resize(total);
        }
    }

    public DownloadPriority Priority
    {
        get => (DownloadPriority)Volatile.Read(ref _priority);
        set
        {
            Volatile.Write(ref _priority, (int)value);
            _pacer.Run(value == DownloadPriority.Background);
            Signal();
        }
    }

    /// <summary>The Background controller's connections per file now; int.MaxValue when not Background.</summary>
    public int PacedConnections => Volatile.Read(ref _pacedConnections);

    /// <summary>The controller while Background; for tests and diagnostics.</summary>
    internal DelayController? Controller => _pacer.Controller;

    /// <summary>Ticks that had the kernel's round-trip time of one of our sockets; for tests.</summary>
    internal int KernelSamples => _pacer.KernelSamples;

    /// <summary>Where requests report their latency: the delay signal when the kernel's cannot be read.</summary>
    internal DelaySamples Latency { get; }

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>Whether the connection at <paramref name="lane"/> (0 for a file's first) may fetch now.</summary>
    internal bool Allows(int lane) => lane < Math.Min(ConnectionsPerFile, PacedConnections);

    /// <summary>Completes at the next change of the connections allowed (or the priority); never faults.</summary>
    internal Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>
    /// How much to read before asking the limiters: a whole buffer normally; under the Background controller, about
    /// 2 ms at its rate, so that each read opens the receive window by a little and the server's answer to it adds
    /// a short burst to the queue, not a buffer's worth.
    /// </summary>
    internal int ReadSize(int bufferSize)
    {
        long paced = _paced.BytesPerSecond;
        return paced <= 0 ? bufferSize : (int)Math.Min(bufferSize, Math.Max(16 * 1024, paced / 500));
    }

    /// <summary>Waits until <paramref name="count"/> bytes just read may be passed on: the user's cap, then the controller's.</summary>
    internal async Task WaitAsync(int count, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _bytesRead, count);
        await _cap.WaitAsync(count, cancellationToken).ConfigureAwait(false);
        await _paced.WaitAsync(count, cancellationToken).ConfigureAwait(false);
    }

    void IPacedLimits.Pace(double bytesPerSecond, int connections)
    {
        _paced.BytesPerSecond = (long)bytesPerSecond;
        if (Interlocked.Exchange(ref _pacedConnections, connections) != connections)
        {
            Signal();
        }
    }

    public void Dispose() => _pacer.Dispose();

    /// <summary>
    /// Under a rate cap, each socket's receive buffer holds about <see cref="CapBufferTime"/> of the cap, shared by
    /// the file's connections: the kernel then cannot take megabytes more than the client reads (at full speed on
    /// loopback it autotunes to several), so a cap set on a running download holds at the server within moments.
    /// The cap is still reached on links of up to that round-trip time.
    /// </summary>
    private void BoundReceiveBuffers()
    {
        long rate = _cap.BytesPerSecond;
        _sockets.CappedBuffer = rate <= 0
            ? null
            : (int)Math.Min(MaxCapBuffer, Math.Max(MinCapBuffer, rate * CapBufferTime.TotalSeconds / ConnectionsPerFile));
    }

    private static readonly TimeSpan CapBufferTime = TimeSpan.FromMilliseconds(250);
    private const int MinCapBuffer = 32 * 1024;
    private const int MaxCapBuffer = 4 * 1024 * 1024;

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Signal()
    {
        TaskCompletionSource<bool> changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult(true);
    }
}
