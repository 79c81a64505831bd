using System.Diagnostics;
using System.Threading;
using Downloader.Core;
using Downloader.Core.Formatting;
using Downloader.Core.Results;

namespace Downloader.Cli;

/// <summary>Counts, not results: a batch of 100,000 items keeps four numbers, not 100,000 objects.</summary>
internal sealed class BatchSummary
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _completed;
    private int _skipped;
    private int _failed;
    private long _bytes;

    public int Completed => Volatile.Read(ref _completed);

    public int Skipped => Volatile.Read(ref _skipped);

    public int Failed => Volatile.Read(ref _failed);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(DownloadResult result)
    {
        switch (result.Status)
        {
            case DownloadStatus.Completed:
                Interlocked.Increment(ref _completed);
                Interlocked.Add(ref _bytes, result.Bytes);
                break;
            case DownloadStatus.Skipped:
                Interlocked.Increment(ref _skipped);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }

    public override string ToString()
    {
        double seconds = _clock.Elapsed.TotalSeconds;
        return $"{Completed} completed, {Skipped} skipped, {Failed} failed; {ByteSize.Format(Bytes)} in {seconds:0.00} s " +
            $"({ByteSize.FormatSpeed(seconds > 0 ? Bytes / seconds : 0)})";
    }
}
