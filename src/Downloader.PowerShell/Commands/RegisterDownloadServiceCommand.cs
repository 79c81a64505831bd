using System.Management.Automation;
using Downloader.Core.Queue;
using Downloader.Core.Service;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Installs the per-user OS trigger that starts the download queue's worker at logon and at startup.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "DownloadService", SupportsShouldProcess = true)]
[OutputType(typeof(DownloadService))]
public sealed class RegisterDownloadServiceCommand : PSCmdlet
{
    protected override void ProcessRecord()
    {
        var trigger = new ServiceTrigger(QueueFolder.Default());
        if (ShouldProcess(trigger.DefinitionPath, $"Install the {trigger.Kind}"))
        {
            WriteObject(ServiceCommands.Register(this, trigger));
        }
    }
}
