using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Http;
using Downloader.Core.Resume;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Continues suspended downloads, or with -Path a partial download left by a closed or crashed session.</para>
/// Two thin modes. -Id, -Name or -Job resume jobs, which keep the options they started with, through
/// <see cref="JobSelection"/> as Suspend- and Stop-Download do. -Path starts a new job from a state file, so it takes
/// the shared HTTP parameters of <see cref="DownloadCmdletBase"/>, declared there in its download set and only there.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "Download", SupportsShouldProcess = true, DefaultParameterSetName = JobSelection.IdSet)]
[OutputType(typeof(DownloaderJob), typeof(DownloadItem))]
public sealed class ResumeDownloadCommand : DownloadCmdletBase
{
    // A state file keeps no proxy password, credential, token, cookie or certificate, so a resume from disk takes
    // them again, and its 401 or 407 error says so.
    private static readonly CredentialHints ResumeHints = new(
        CredentialHints.PowerShell.Proxy + "; a state file keeps none, so give them again",
        CredentialHints.PowerShell.Server + "; a state file keeps none, so give them again");

    #region Parameters

    [Parameter(Position = 0, ParameterSetName = JobSelection.IdSet)]
    public int[]? Id { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = JobSelection.NameSet)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSelection.JobSet)]
    public DownloaderJob[]? Job { get; set; }

    /// <summary>The file being downloaded: its final name, its .part file or its .downloader state file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DownloadSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter AsJob { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Resumes entries of the user's durable queue (see Get-Download -Persisted), starting a worker if none runs.</summary>
    [Parameter(ParameterSetName = JobSelection.IdSet)]
    [Parameter(ParameterSetName = JobSelection.NameSet)]
    public SwitchParameter Persisted { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PersistedSelection.EntrySet)]
    public PersistedDownload[]? Entry { get; set; }

    #endregion

    protected override void ProcessRecord()
    {
        if (Persisted || ParameterSetName == PersistedSelection.EntrySet)
        {
            var queue = Core.Queue.DownloadQueue.Open();
            PersistedSelection.Act(this, queue, PersistedSelection.Select(this, queue, Id, Name, Entry), Core.Queue.QueueRequest.Resume, "Resume persisted download", PassThru);
            return;
        }

        if (ParameterSetName == DownloadSet)
        {
            ResumeFromDisk();
            return;
        }

        JobSelection.ForEach(this, JobSelection.Select(this, ParameterSetName, Id, Name, Job), "Resume download", job => job.ResumeJob(), PassThru);
    }

    private void ResumeFromDisk()
    {
        string target = GetUnresolvedProviderPathFromPSPath(Path!);
        foreach (string suffix in new[] { ResumeStateFile.Extension, ".part" })
        {
            if (target.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
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

        var job = new DownloadJob($"Resume-Download -Path '{target}'", null, OptionsFor(state));
        Launch(job, background: AsJob);

        // The stored URL shows a password as ***: it is never sent; -Credential gives the real one.
        Uri url = UserInfo.Strip(state.Url);
        job.Add(BatchItem.Valid(url.AbsoluteUri, new DownloadRequest(url) { OutputPath = target }));
        job.CompleteInput();
        if (AsJob)
        {
            WriteObject(job);
        }
        else
        {
            RunToEnd(job);
        }
    }

    /// <summary>The shared options, over what the state file kept: its headers and user agent, unless given again.</summary>
    private DownloadOptions OptionsFor(ResumeState state)
    {
        DownloadOptions options = BuildOptions(singleUrl: true);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string> header in state.Headers)
        {
            headers[header.Key] = header.Value;
        }

        foreach (KeyValuePair<string, string> header in options.Headers)
        {
            headers[header.Key] = header.Value;
        }

        return options with
        {
            Network = options.Network with { Hints = ResumeHints },
            Headers = headers,
            UserAgent = UserAgent ?? state.UserAgent ?? options.UserAgent,
        };
    }
}
