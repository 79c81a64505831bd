using System;
using System.Threading.Tasks;
using Downloader.Core.Results;

namespace Downloader.Core.Queue;

/// <summary>
/// One entry the worker is downloading: its own <see cref="DownloadClient"/> (an entry's options are its own) and the
/// engine's <see cref="FileDownload"/>, which resumes from the destination's part and state files like any download.
/// </summary>
internal sealed class ActiveEntry : IDisposable
{
    private readonly DownloadClient _client;

    public ActiveEntry(QueueEntry entry)
    {
        Entry = entry;
        _client = new DownloadClient(entry.Options.ToOptions() with { ComputeSha256 = true });
        Download = _client.Start(entry.ToRequest());
    }

    /// <summary>The entry as last saved.</summary>
    public QueueEntry Entry { get; set; }

    public FileDownload Download { get; }

    /// <summary>What becomes of the entry once the download has ended by a cancel: null while none was asked.</summary>
    public QueueRequest? Ending { get; private set; }

    public Task<DownloadResult> Completion => Download.Completion;

    /// <summary>The running client's limits; for tests.</summary>
    internal Transfer.LiveLimits Limits => _client.Limits;

    /// <summary>The download's result; a fault (never expected: the engine reports failures as results) as a failure.</summary>
    public DownloadResult Result()
    {
        try
        {
            return Completion.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            return new DownloadResult { Url = new Uri(Entry.Url), Input = Entry.Url, Status = DownloadStatus.Failed, Error = e.Message };
        }
    }

    /// <summary>
    /// What becomes of the entry, given how its download ended: the request that ended it, if any. A suspend or a
    /// stop of the worker that reached a download only after it had its file (completed, or skipped as there already)
    /// ends nothing: the entry is finished, with its result and log line, not put back to run again. A remove stands.
    /// </summary>
    public QueueRequest? EndingFor(DownloadResult result)
    {
        bool finished = result.Status == DownloadStatus.Completed
            || (result.Status == DownloadStatus.Skipped && result.Reason?.StartsWith(Pipeline.ResultBuilder.InProgressReason, StringComparison.Ordinal) != true);
        return finished && Ending is QueueRequest.Suspend or QueueRequest.Resume ? null : Ending;
    }

    /// <summary>Stops the bytes at once (partial files kept unless removing with -DeletePartial), for <paramref name="why"/>.</summary>
    public void End(QueueRequest why)
    {
        Ending = why;
        Download.Cancel(deletePartial: why == QueueRequest.RemoveAndDeletePartial);
    }

    /// <summary>Set-Download from another process: the running client follows within moments, and the entry keeps the new limits.</summary>
    public void Change(LimitChange change)
    {
        change.ApplyTo(_client.Limits);
        Entry = WithProgress() with { Options = change.ApplyTo(Entry.Options) };
    }

    /// <summary>The entry with the download's current bytes, speed and path.</summary>
    public QueueEntry WithProgress()
    {
        DownloadProgress p = Download.GetProgress();

        // Until the download knows its size (probing, reading its state file), the last count stands: a restarted
        // entry does not seem to fall back to zero.
        bool known = p.TotalBytes >= 0;
        return Entry with
        {
            State = QueueEntryState.Running,
            BytesReceived = known ? p.BytesReceived : Entry.BytesReceived,
            TotalBytes = known ? p.TotalBytes : Entry.TotalBytes,
            BytesPerSecond = p.BytesPerSecond,
            Path = Download.Path ?? Entry.Path,
        };
    }

    public void Dispose() => _client.Dispose();
}
