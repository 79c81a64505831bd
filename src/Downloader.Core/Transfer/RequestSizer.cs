using System;
using System.Diagnostics;

namespace Downloader.Core.Transfer;

/// <summary>
/// Sizes a connection's next range request so that it lasts about <see cref="DownloadOptions.RequestDuration"/> at the
/// speed the previous one achieved, round trip included. It shrinks at once when a connection slows, but grows at
/// most twofold per request: many servers let the start of each response through faster than the rest (nginx's
/// limit_rate, limit_rate_after), and sizing the next request by such a burst would make it long and slow.
/// </summary>
internal sealed class RequestSizer
{
    private const long InitialSize = 4 * 1024 * 1024;
    private const long MinimumSize = 256 * 1024;
    private const long MaxGrowth = 2;
    private readonly DownloadOptions _options;
    private readonly Stopwatch _clock = new();

    public RequestSizer(DownloadOptions options)
    {
        _options = options;
        NextSize = Math.Min(InitialSize, Math.Max(1, options.MaxRequestSize));
        _clock.Start();
    }

    public long NextSize { get; private set; }

    public void Begin() => _clock.Restart();

    public void End(long bytes) => End(bytes, _clock.Elapsed);

    /// <param name="bytes">What the request delivered.</param>
    /// <param name="elapsed">From sending it to its last byte.</param>
    internal void End(long bytes, TimeSpan elapsed)
    {
        double seconds = elapsed.TotalSeconds;
        if (bytes <= 0 || seconds <= 0)
        {
            return;
        }

        double target = bytes / seconds * _options.RequestDuration.TotalSeconds;
        long max = Math.Max(1, _options.MaxRequestSize);
        double grown = Math.Min(target, (double)Math.Max(NextSize, bytes) * MaxGrowth);
        NextSize = (long)Math.Max(Math.Min(MinimumSize, max), Math.Min(max, grown));
    }
}
