using System;
using System.Collections;
using System.Collections.Generic;
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
/// A download from disk is a new job with the shared HTTP parameters, so it derives from <see cref="DownloadCmdletBase"/>;
/// the -Id, -Name and -Job selection is <see cref="JobSelection"/>'s, as for Suspend- and Stop-Download.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "Download", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloaderJob), typeof(DownloadItem))]
public sealed partial class ResumeDownloadCommand : DownloadCmdletBase
{
    private const string IdSet = JobSelection.IdSet;
    private const string NameSet = JobSelection.NameSet;
    private const string JobSet = JobSelection.JobSet;
    private const string PathSet = "Path";

    #region Parameters

    [Parameter(Position = 0, ParameterSetName = IdSet)]
    public int[]? Id { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    public DownloaderJob[]? Job { get; set; }

    /// <summary>The file being downloaded: its final name, its .part file or its .downloader state file.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string? Path { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public SwitchParameter AsJob { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Resumes entries of the user's durable queue (see Get-Download -Persisted), starting a worker if none runs.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = NameSet)]
    public SwitchParameter Persisted { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PersistedSelection.EntrySet)]
    public PersistedDownload[]? Entry { get; set; }

    #endregion

    #region Shared parameters, for -Path only

    // A suspended job keeps the options it started with; only a download from disk takes them. Each override
    // repeats the base's validation, because PowerShell reads a parameter's attributes from the override alone
    // (MetadataTests checks that they agree).

    /// <summary>Added to the non-secret headers the state file kept; secrets must be given again.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public override IDictionary? Headers { get; set; }

    /// <summary>Default: the one the download started with.</summary>
    [Parameter(ParameterSetName = PathSet)]
    public override string? UserAgent { get; set; }

    /// <summary>The credential the download needed (the state file never keeps one).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Credential]
    public override PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override Uri? Proxy { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(0, 1000)]
    public override int MaximumRetryCount { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(0, 3600)]
    public override int RetryIntervalSec { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(1, 86400)]
    public override int TimeoutSec { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(0, long.MaxValue)]
    public override long MaximumBytesPerSecond { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [ValidateRange(1, 64)]
    public override int ConnectionsPerFile { get; set; }

    #endregion

    protected override void ProcessRecord()
    {
        if (Persisted || ParameterSetName == PersistedSelection.EntrySet)
        {
            var queue = Core.Queue.DownloadQueue.Open();
            PersistedSelection.Act(this, queue, PersistedSelection.Select(this, queue, Id, Name, Entry), Core.Queue.QueueRequest.Resume, "Resume persisted download", PassThru);
            return;
        }

        if (ParameterSetName == PathSet)
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
        Uri url = Core.Http.UserInfo.Strip(state.Url);
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
