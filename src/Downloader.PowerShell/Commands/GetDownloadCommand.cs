using System.Management.Automation;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Lists this session's downloads with live state, bytes, percent, speed and ETA.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "Download", DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloadInfo), typeof(PersistedDownload), typeof(DownloadItem))]
public sealed class GetDownloadCommand : DownloadJobCmdletBase
{
    /// <summary>With -Persisted: each finished entry's DownloadItem, and each failed one's error, instead of the entries.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = NameSet)]
    [Parameter(ParameterSetName = PersistedSelection.EntrySet)]
    public SwitchParameter Result { get; set; }

    protected override void ProcessRecord()
    {
        if (OnQueue)
        {
            var queue = Core.Queue.DownloadQueue.Open();
            PersistedSelection.Write(this, SelectEntries(queue), queue, Result);
            return;
        }

        foreach (DownloaderJob job in SelectJobs())
        {
            WriteObject(new DownloadInfo(job, job.Snapshot()));
        }
    }
}
