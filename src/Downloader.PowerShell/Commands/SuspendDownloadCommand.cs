using System.Management.Automation;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Pauses downloads: transfer stops within moments, bytes on disk are kept.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "Download", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloaderJob))]
public sealed class SuspendDownloadCommand : DownloadJobCmdletBase
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (OnQueue)
        {
            ForEachPersisted(Core.Queue.QueueRequest.Suspend, "Suspend persisted download", PassThru);
            return;
        }

        ForEachSelected("Suspend download", job => job.SuspendJob(), PassThru);
    }
}
