using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Downloader.Core.Formatting;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// Turns download progress into a bounded number of records per interval (a second by default), whatever the number
/// of files: the parent record for the batch, which carries the counts, and children for at most a handful of active
/// files, the busiest. A child gets a Completed record when its file ends or when it drops out of the shown ones; a
/// file that was never shown gets none. So an interval sends at most 1 + 3 x <c>maxChildren</c> records, and a list
/// of 100,000 small files costs the host a few records a second, not 100,000 Completed ones (every record is drawn
/// synchronously by Windows PowerShell 5.1 and costs a host call everywhere).
/// </summary>
public sealed class ProgressReporter
{
    public const int BatchActivityId = 0;

    /// <summary>How many files' bars are shown at once by default.</summary>
    public const int DefaultMaxChildren = 4;
    private readonly IPipelineSink _sink;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _interval;
    private readonly Dictionary<FileDownload, int> _ids = new();
    private readonly HashSet<int> _shown = new();
    private readonly int _maxChildren;
    private readonly BatchStatistics _statistics;
    private readonly object _gate = new();
    private int _nextId = 1;
    private TimeSpan? _lastBatch;

    /// <param name="clock">Elapsed time since start; injectable so tests need no sleeping.</param>
    /// <param name="statistics">Where the session counts ended and running items; the reporter only reads it.</param>
    /// <param name="maxChildren">How many files' bars are shown at once (the busiest).</param>
    public ProgressReporter(IPipelineSink sink, Func<TimeSpan> clock, TimeSpan? interval = null, BatchStatistics? statistics = null, int maxChildren = DefaultMaxChildren)
    {
        _maxChildren = Math.Max(0, maxChildren);
        _sink = sink;
        _clock = clock;
        _interval = interval ?? TimeSpan.FromSeconds(1);
        _statistics = statistics ?? new BatchStatistics();
    }

    public void Started(FileDownload download)
    {
        lock (_gate)
        {
            _ids[download] = _nextId++;
        }
    }

    /// <summary>A started item ended: if its activity was shown, closes it with a Completed record (counting is the session's).</summary>
    public void Finished(FileDownload download, DownloadResult result)
    {
        lock (_gate)
        {
            if (_ids.TryGetValue(download, out int id))
            {
                _ids.Remove(download);
                if (_shown.Remove(id))
                {
                    _sink.WriteProgress(new ProgressInfo(id, BatchActivityId, Name(download), result.Status.ToString(), 100, 0, IsCompleted: true));
                }
            }
        }
    }

    /// <summary>Sends whatever is due; call it often, it throttles itself.</summary>
    public void Tick(bool force = false)
    {
        lock (_gate)
        {
            TimeSpan now = _clock();
            if (!force && _lastBatch is TimeSpan last && now - last < _interval)
            {
                // Children are chosen only with the parent, so the records an interval sends stay bounded.
                return;
            }

            _lastBatch = now;
            var snapshots = _ids.Select(p => (Id: p.Value, Download: p.Key, Progress: p.Key.GetProgress())).ToList();
            _sink.WriteProgress(Batch(snapshots.Select(s => s.Progress).ToList()));

            // The busiest files keep their bars; one already shown wins a tie, so bars don't flicker between equals.
            var shown = snapshots
                .OrderByDescending(s => s.Progress.BytesPerSecond)
                .ThenByDescending(s => _shown.Contains(s.Id))
                .ThenBy(s => s.Id)
                .Take(_maxChildren)
                .OrderBy(s => s.Id)
                .ToList();
            var keep = new HashSet<int>(shown.Select(s => s.Id));
            foreach (var s in snapshots.Where(s => _shown.Contains(s.Id) && !keep.Contains(s.Id)))
            {
                _shown.Remove(s.Id);
                _sink.WriteProgress(new ProgressInfo(s.Id, BatchActivityId, Name(s.Download), s.Progress.State.ToString(), 100, 0, IsCompleted: true));
            }

            foreach (var s in shown)
            {
                _shown.Add(s.Id);
                _sink.WriteProgress(File(s.Id, s.Download, s.Progress));
            }
        }
    }

    public void Complete()
    {
        lock (_gate)
        {
            _sink.WriteProgress(new ProgressInfo(BatchActivityId, -1, "Downloading", Counts(), 100, 0, IsCompleted: true));
        }
    }

    private ProgressInfo Batch(IReadOnlyList<DownloadProgress> active)
    {
        // Finished bytes as BatchStatistics defines them (completed and skipped items); a running item counts its own.
        long finishedBytes = _statistics.FinishedBytes;
        (int finished, int running) = _statistics.Items();
        int known = finished + running;
        long received = finishedBytes + active.Sum(p => p.BytesReceived);
        long activeTotal = active.Where(p => p.TotalBytes >= 0).Sum(p => p.TotalBytes);
        bool sizesKnown = active.All(p => p.TotalBytes >= 0);
        long total = finishedBytes + activeTotal;
        double speed = active.Sum(p => p.BytesPerSecond);
        int percent = known == 0 ? 0 : sizesKnown && total > 0
            ? Clamp(received * 100.0 / total * (known - (double)finished) / known + (finished * 100.0 / known))
            : Clamp(finished * 100.0 / known);
        string status = string.Format(
            CultureInfo.InvariantCulture, "{0}, {1}, {2}", Counts(), ByteSize.Format(received), ByteSize.FormatSpeed(speed));
        return new ProgressInfo(BatchActivityId, -1, "Downloading", status, percent, -1, IsCompleted: false);
    }

    // Ended items (failed ones too) of every item that started or was rejected.
    private string Counts()
    {
        (int ended, int running) = _statistics.Items();
        return string.Format(CultureInfo.InvariantCulture, "{0} of {1} files done", ended, ended + running);
    }

    private static ProgressInfo File(int id, FileDownload download, DownloadProgress p)
    {
        string size = p.TotalBytes >= 0 ? $"{ByteSize.Format(p.BytesReceived)} of {ByteSize.Format(p.TotalBytes)}" : ByteSize.Format(p.BytesReceived);
        string status = $"{size}, {ByteSize.FormatSpeed(p.BytesPerSecond)}, ETA {ByteSize.FormatDuration(p.Eta)}, {p.Connections.Count} connections, {p.State}";
        int seconds = p.Eta is TimeSpan eta ? (int)Math.Min(int.MaxValue, eta.TotalSeconds) : -1;
        return new ProgressInfo(id, BatchActivityId, Name(download), status, p.PercentComplete < 0 ? -1 : Clamp(p.PercentComplete), seconds, IsCompleted: false);
    }

    private static string Name(FileDownload download) =>
        download.Path != null ? System.IO.Path.GetFileName(download.Path) : Http.UserInfo.Redact(download.Request.Uri);

    // A PercentComplete above 100 throws in PowerShell.
    private static int Clamp(double percent) => (int)Math.Max(0, Math.Min(100, percent));
}
