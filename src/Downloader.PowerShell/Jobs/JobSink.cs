using System.Management.Automation;
using Downloader.Core.Results;
using Downloader.Core.Sessions;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// The session's output, added to the job's thread-safe streams from worker threads. Nothing here calls a Write*
/// method: the pipeline thread of Start-Download or Receive-Job reads the streams.
/// </summary>
internal sealed class JobSink : IPipelineSink
{
    private readonly DownloadJob _job;

    public JobSink(DownloadJob job)
    {
        _job = job;
    }

    public void WriteResult(DownloadResult result) => _job.Output.Add(new PSObject(new DownloadItem(result)));

    public void WriteFailure(DownloadResult result) => _job.Error.Add(ErrorRecords.FromResult(result));

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

        _job.Progress.Add(record);
    }

    public void WriteVerbose(string message) => _job.Verbose.Add(new VerboseRecord(message));
}
