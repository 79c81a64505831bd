using System;
using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Results;
using Downloader.Core.Sessions;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// The session's output, added to the job's thread-safe streams from worker threads. Nothing here calls a Write*
/// method: the pipeline thread of Start-Download or Receive-Job reads the streams. Once the job is removed, what
/// still arrives (progress and results of downloads winding down) is dropped: nobody can receive it any more.
/// </summary>
internal sealed class JobSink : IPipelineSink
{
    private readonly DownloadJob _job;

    public JobSink(DownloadJob job)
    {
        _job = job;
    }

    public void WriteResult(DownloadResult result)
    {
        if (result.Status == DownloadStatus.Skipped && result.Reason != "unchanged")
        {
            WriteVerbose($"{result.Path ?? result.Input}: skipped, {result.Reason}.");
        }

        Add(_job.Output, new PSObject(new DownloadItem(result)));
    }

    public void WriteFailure(DownloadResult result) => Add(_job.Error, ErrorRecords.FromResult(result));

    public void WriteCancelled(DownloadResult result) =>
        WriteVerbose($"{result.Input}: cancelled; partial data kept for resuming.");

    public void WriteProgress(ProgressInfo progress)
    {
        var record = new ProgressRecord(progress.ActivityId, progress.Activity, progress.StatusDescription)
        {
            PercentComplete = progress.PercentComplete,
            SecondsRemaining = progress.SecondsRemaining,
            RecordType = progress.IsCompleted ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (progress.ParentActivityId >= 0)
        {
            record.ParentActivityId = progress.ParentActivityId;
        }

        Add(_job.Progress, record);
    }

    public void WriteVerbose(string message) => Add(_job.Verbose, new VerboseRecord(message));

    private void Add<T>(PSDataCollection<T> stream, T item)
    {
        if (_job.IsDisposed)
        {
            return;
        }

        try
        {
            stream.Add(item);
        }
        catch (ObjectDisposedException)
        {
            // Removed between the check and the add.
        }
        catch (PSInvalidOperationException)
        {
            // The stream was completed (closed) as the job was removed.
        }
    }
}
