using System.Management.Automation;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists this session's downloads with live state, bytes, percent, speed and ETA.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Download", DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloadInfo))]
public sealed class GetDownloadCommand : DownloadJobCmdletBase
{
    protected override void ProcessRecord()
    {
        foreach (DownloaderJob job in SelectJobs())
        {
            WriteObject(new DownloadInfo(job, job.Snapshot()));
        }
    }
}
