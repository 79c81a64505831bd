using System.Threading;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// The one count of a batch's ended items, fed by their results as the session receives them (not by progress), that the session's snapshot, the progress records
/// and the CLI summary all read, so Get-Download, the progress bar and the summary line agree.
/// </summary>
/// <remarks>
/// <para><b>Finished bytes</b> are the bytes of completed and skipped items: the content the batch has in place at
/// its destination. A failed or cancelled item's partial bytes are not finished (they may be resumed, or thrown
/// away), so they count only while the item runs, as its own progress.</para>
/// <para><b>Done</b> items are completed plus skipped; <b>ended</b> items are every item with a result, including
/// failed, cancelled and rejected (invalid input) ones. Counts, not results: a batch of 100,000 items keeps a few
/// numbers, not 100,000 objects. Thread-safe.</para>
/// </remarks>
public sealed class BatchStatistics
{
    private readonly object _gate = new();
    private int _completed;
    private int _skipped;
    private int _failed;
    private int _cancelled;
    private int _running;
    private long _completedBytes;
    private long _skippedBytes;

    public int Completed => Volatile.Read(ref _completed);

    public int Skipped => Volatile.Read(ref _skipped);

    public int Failed => Volatile.Read(ref _failed);

    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Completed plus skipped items.</summary>
    public int Done => Completed + Skipped;

    /// <summary>Every item with a result.</summary>
    public int Ended => Completed + Skipped + Failed + Cancelled;

    /// <summary>Bytes of the items downloaded in this batch (what its speed is measured by).</summary>
    public long CompletedBytes => Interlocked.Read(ref _completedBytes);

    /// <summary>Bytes of the items found unchanged and skipped.</summary>
    public long SkippedBytes => Interlocked.Read(ref _skippedBytes);

    /// <summary>Bytes of completed and skipped items; see the remarks.</summary>
    public long FinishedBytes => CompletedBytes + SkippedBytes;

    /// <summary>Ended and running items read together, so a progress record never counts an item twice or not at all.</summary>
    public (int Ended, int Running) Items()
    {
        lock (_gate)
        {
            return (Ended, _running);
        }
    }

    /// <summary>An item started: it runs until its result is counted.</summary>
    public void Started()
    {
        lock (_gate)
        {
            _running++;
        }
    }

    /// <summary>Counts a result; <paramref name="started"/> says whether it was running (a rejected item never ran).</summary>
    public void Add(DownloadResult result, bool started = false)
    {
        lock (_gate)
        {
            if (started)
            {
                _running--;
            }

            Count(result);
        }
    }

    private void Count(DownloadResult result)
    {
        switch (result.Status)
        {
            case DownloadStatus.Completed:
                Interlocked.Add(ref _completedBytes, result.Bytes);
                Interlocked.Increment(ref _completed);
                break;
            case DownloadStatus.Skipped:
                Interlocked.Add(ref _skippedBytes, result.Bytes);
                Interlocked.Increment(ref _skipped);
                break;
            case DownloadStatus.Cancelled:
                Interlocked.Increment(ref _cancelled);
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }
}
