using System;
using System.Diagnostics;

namespace Downloader.Core.Transfer;

/// <summary>
/// Sizes a connection's next range request so that it lasts about <see cref="DownloadOptions.RequestDuration"/> at the
/// speed the previous one achieved, round trip included.
/// </summary>
internal sealed class RequestSizer
{
    private const long InitialSize = 4 * 1024 * 1024;
    private const long MinimumSize = 256 * 1024;
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

    public void End(long bytes)
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        if (bytes <= 0 || seconds <= 0)
        {
            return;
        }

        double target = bytes / seconds * _options.RequestDuration.TotalSeconds;
        long max = Math.Max(1, _options.MaxRequestSize);
        NextSize = (long)Math.Max(Math.Min(MinimumSize, max), Math.Min(max, target));
    }
}
