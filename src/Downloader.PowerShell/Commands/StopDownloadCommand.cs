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
        foreach (DownloaderJob job in SelectJobs())
        {
            if (Finish)
            {
                FinishStream(job);
            }
            else if (ShouldProcess(job.Name, DeletePartial ? "Stop download and delete partial files" : "Stop download"))
            {
                job.Stop(DeletePartial);
                if (PassThru)
                {
                    WriteObject(job);
                }
            }
        }
    }

    private void FinishStream(DownloaderJob job)
    {
        if (job is not StreamJob stream)
        {
            WriteError(new ErrorRecord(
                new System.ArgumentException($"-Finish applies to Start-DownloadStream jobs; '{job.Name}' is a download job, which finishes by itself."),
                "Downloader.FinishNotAStream",
                ErrorCategory.InvalidArgument,
                job));
            return;
        }

        if (ShouldProcess(job.Name, "Stop serving and finish the download"))
        {
            stream.FinishInBackground();
            if (PassThru)
            {
                WriteObject(job);
            }
        }
    }
}
