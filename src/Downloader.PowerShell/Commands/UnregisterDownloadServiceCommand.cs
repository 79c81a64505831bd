using System.Management.Automation;
using Downloader.Core.Queue;
using Downloader.Core.Service;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Removes the OS trigger Register-DownloadService installed; the queue and its entries stay.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "DownloadService", SupportsShouldProcess = true)]
[OutputType(typeof(DownloadService))]
public sealed class UnregisterDownloadServiceCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        var trigger = new ServiceTrigger(QueueFolder.Default());
        if (ShouldProcess(trigger.DefinitionPath, $"Remove the {trigger.Kind}"))
        {
            WriteObject(ServiceCommands.Unregister(this, trigger));
        }
    }
}
