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

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (DownloaderJob job in SelectJobs())
        {
            if (ShouldProcess(job.Name, DeletePartial ? "Stop download and delete partial files" : "Stop download"))
            {
                job.Stop(DeletePartial);
                if (PassThru)
                {
                    WriteObject(job);
                }
            }
        }
    }
}
