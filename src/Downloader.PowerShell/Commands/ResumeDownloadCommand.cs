using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
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

    /// <summary>Request headers for -Path, added to the non-secret ones the state file kept; secrets must be given again.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public IDictionary? Headers { get; set; }

    /// <summary>For -Path: the user agent; default, the one the download started with.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public string? UserAgent { get; set; }

    /// <summary>For -Path: the credential the download needed (the state file never keeps one).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

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

        var headers = new Dictionary<string, string>(state.Headers.ToDictionary(h => h.Key, h => h.Value), System.StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Headers ?? new Hashtable())
        {
            headers[entry.Key.ToString()!] = entry.Value?.ToString() ?? string.Empty;
        }

        var options = new DownloadOptions
        {
            Headers = headers,
            UserAgent = UserAgent ?? state.UserAgent ?? new DownloadOptions().UserAgent,
            Credential = Credential?.GetNetworkCredential(),
        };
        var job = new DownloadJob($"Resume-Download -Path '{target}'", null, options);
        if (AsJob)
        {
            JobPump.Register(this, job);
        }

        job.StartJob();
        // The stored URL shows a password as ***: it is never sent; -Credential gives the real one.
        System.Uri url = Core.Http.UserInfo.Strip(state.Url);
        job.Add(BatchItem.Valid(url.AbsoluteUri, new DownloadRequest(url) { OutputPath = target }));
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
