using System.IO;
using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Resume;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Continues suspended downloads, or with -Path a partial download left by a closed or crashed session.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "Download", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloaderJob), typeof(DownloadItem))]
public sealed class ResumeDownloadCommand : DownloadJobCmdletBase
{
    private const string PathSet = "Path";

    /// <summary>The file being downloaded: its final name, its .part file or its .downloader state file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter AsJob { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PathSet)
        {
            ResumeFromDisk();
            return;
        }

        foreach (DownloaderJob job in SelectJobs())
        {
            if (ShouldProcess(job.Name, "Resume download"))
            {
                job.ResumeJob();
                if (PassThru)
                {
                    WriteObject(job);
                }
            }
        }
    }

    private void ResumeFromDisk()
    {
        string target = GetUnresolvedProviderPathFromPSPath(Path!);
        foreach (string suffix in new[] { ResumeStateFile.Extension, ".part" })
        {
            if (target.EndsWith(suffix, System.StringComparison.OrdinalIgnoreCase))
            {
                target = target.Substring(0, target.Length - suffix.Length);
            }
        }

        ResumeState? state = ResumeStateFile.TryLoad(target + ResumeStateFile.Extension);
        if (state == null)
        {
            WriteError(new ErrorRecord(
                new FileNotFoundException($"No resumable download at '{target}': '{target + ResumeStateFile.Extension}' is missing or unreadable."),
                "Downloader.NoResumeState",
                ErrorCategory.ObjectNotFound,
                target));
            return;
        }

        if (!ShouldProcess(target, $"Resume download of {state.Url}"))
        {
            return;
        }

        var job = new DownloadJob($"Resume-Download -Path '{target}'", null, new DownloadOptions());
        if (AsJob)
        {
            JobPump.Register(this, job);
        }

        job.StartJob();
        job.Add(BatchItem.Valid(state.Url.AbsoluteUri, new DownloadRequest(state.Url) { OutputPath = target }));
        job.CompleteInput();
        if (AsJob)
        {
            WriteObject(job);
            return;
        }

        try
        {
            JobPump.DrainUntilFinished(this, job);
        }
        finally
        {
            job.EndForeground();
            DownloadRegistry.Retire(job);
        }
    }
}
