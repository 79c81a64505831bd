using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Downloader.Core.Formatting;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// Turns download progress into at most one update per activity per interval (a second by default): a parent record
/// for the batch and one child per active file, parent first, and a Completed record for every file that ends and
/// for the batch at the end. Windows PowerShell 5.1 draws every record synchronously, so fewer records is faster.
/// </summary>
public sealed class ProgressReporter
{
    public const int BatchActivityId = 0;
    private readonly IPipelineSink _sink;
    private readonly Func<TimeSpan> _clock;
    private readonly TimeSpan _interval;
    private readonly Dictionary<FileDownload, int> _ids = new();
    private readonly Dictionary<int, TimeSpan> _lastSent = new();
    private readonly BatchStatistics _statistics;
    private readonly object _gate = new();
    private int _nextId = 1;

    /// <param name="clock">Elapsed time since start; injectable so tests need no sleeping.</param>
    /// <param name="statistics">
    /// Where ended items are counted; the reporter records each result there under its own lock, in the same step
    /// that drops the item from the active ones, so a record never counts an item twice or not at all.
    /// </param>
    public ProgressReporter(IPipelineSink sink, Func<TimeSpan> clock, TimeSpan? interval = null, BatchStatistics? statistics = null)
    {
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

    /// <summary>Counts an item that ended before it could start (e.g. an invalid URL).</summary>
    public void Rejected(DownloadResult result)
    {
        lock (_gate)
        {
            _statistics.Add(result);
        }
    }

    /// <summary>Counts a started item's result and closes its activity with a Completed record.</summary>
    public void Finished(FileDownload download, DownloadResult result)
    {
        lock (_gate)
        {
            _statistics.Add(result);
            if (_ids.TryGetValue(download, out int id))
            {
                _ids.Remove(download);
                _lastSent.Remove(id);
                _sink.WriteProgress(new ProgressInfo(id, BatchActivityId, Name(download), result.Status.ToString(), 100, 0, IsCompleted: true));
            }
        }
    }

    /// <summary>Sends whatever is due; call it often, it throttles itself.</summary>
    public void Tick(bool force = false)
    {
        lock (_gate)
        {
            TimeSpan now = _clock();
            var snapshots = _ids.Select(p => (Id: p.Value, Download: p.Key, Progress: p.Key.GetProgress())).ToList();
            if (Due(BatchActivityId, now, force))
            {
                _sink.WriteProgress(Batch(snapshots.Select(s => s.Progress).ToList()));
            }

            foreach (var s in snapshots.OrderBy(s => s.Id))
            {
                if (Due(s.Id, now, force))
                {
                    _sink.WriteProgress(File(s.Id, s.Download, s.Progress));
                }
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

    private bool Due(int id, TimeSpan now, bool force)
    {
        if (!force && _lastSent.TryGetValue(id, out TimeSpan last) && now - last < _interval)
        {
            return false;
        }

        _lastSent[id] = now;
        return true;
    }

    private ProgressInfo Batch(IReadOnlyList<DownloadProgress> active)
    {
        // Finished bytes as BatchStatistics defines them (completed and skipped items); a running item counts its own.
        long finishedBytes = _statistics.FinishedBytes;
        int finished = _statistics.Ended;
        int known = finished + _ids.Count;
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
    private string Counts() => string.Format(
        CultureInfo.InvariantCulture, "{0} of {1} files done", _statistics.Ended, _statistics.Ended + _ids.Count);

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
