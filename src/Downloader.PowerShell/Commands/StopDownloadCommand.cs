using System.Management.Automation;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Cancels downloads; partial files stay for a later resume unless -DeletePartial.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Download", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloaderJob))]
public sealed class StopDownloadCommand : DownloadJobCmdletBase
{
    [Parameter]
    public SwitchParameter DeletePartial { get; set; }

    /// <summary>For a Start-DownloadStream job: stop serving, but let the download finish.</summary>
    [Parameter]
    public SwitchParameter Finish { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (OnQueue)
        {
            ForEachPersisted(DeletePartial ? Core.Queue.QueueRequest.RemoveAndDeletePartial : Core.Queue.QueueRequest.Remove, "Stop persisted download and remove it from the queue", PassThru);
            return;
        }

        if (Finish)
        {
            ForEachSelected("Stop serving and finish the download", job => ((StreamJob)job).FinishInBackground(), PassThru, IsStream);
        }
        else
        {
            ForEachSelected(DeletePartial ? "Stop download and delete partial files" : "Stop download", job => job.Stop(DeletePartial), PassThru);
        }
    }

    private bool IsStream(DownloaderJob job)
    {
        if (job is StreamJob)
        {
            return true;
        }

        WriteError(new ErrorRecord(
            new System.ArgumentException($"-Finish applies to Start-DownloadStream jobs; '{job.Name}' is a download job, which finishes by itself."),
            "Downloader.FinishNotAStream",
            ErrorCategory.InvalidArgument,
            job));
        return false;
    }
}
