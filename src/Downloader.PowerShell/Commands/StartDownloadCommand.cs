using System;
using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Transfer;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Downloads URLs over many connections, resumably, as a PowerShell job.</para>
/// Binds parameters, resolves paths, asks ShouldProcess and feeds a <see cref="DownloadJob"/>; without -AsJob it
/// writes the job's output, errors and progress on this pipeline until the job ends.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "Download", SupportsShouldProcess = true, DefaultParameterSetName = "Default")]
[OutputType(typeof(DownloadItem), typeof(DownloadJob))]
public sealed class StartDownloadCommand : DownloadCmdletBase
{
    private DownloadJob? _job;
    private bool _singleUrl;

    #region Parameters

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url", "Source")]
    [ValidateNotNullOrEmpty]
    public string[] Uri { get; set; } = Array.Empty<string>();

    /// <summary>A folder (default: the current location), or a file path for a single URL.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("OutFile")]
    public string? Destination { get; set; }

    /// <summary>The expected SHA-256; empty (an empty CSV cell) means no check.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Hash")]
    [AllowEmptyString]
    [ValidatePattern("^([0-9a-fA-F]{64})?$")]
    public string? Sha256 { get; set; }

    /// <summary>
    /// Other URLs of the same file. An array, or one string with URLs separated by spaces or ';' (a CSV cell); empty
    /// means none.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Mirrors")]
    [AllowEmptyString]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? Mirror { get; set; }

    /// <summary>Connections the whole batch may use at once; unbound, <see cref="ConnectionPolicy"/> decides.</summary>
    [Parameter]
    [Alias("ThrottleLimit")]
    [ValidateRange(1, 1024)]
    public int Threads { get; set; }

    [Parameter]
    public SwitchParameter InMemory { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaximumInMemorySize { get; set; }

    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>The job's name.</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepted content types such as image/*; other items fail.</summary>
    [Parameter]
    public string[]? Accept { get; set; }

    #endregion

    #region Overrides

    protected override void BeginProcessing()
    {
        // Only the command line binds before the first record: one URL there is a single download, which may use all
        // the connections it is given. URLs from the pipeline are a list, however many arrive.
        _singleUrl = MyInvocation.BoundParameters.TryGetValue(nameof(Uri), out object? bound) && bound is string[] { Length: 1 };
    }

    protected override void ProcessRecord()
    {
        string? mirrorError = Mirrors.Parse(Mirror, Uri.Length, out Uri[] mirrors);
        foreach (string text in Uri)
        {
            string action = InMemory ? "Download into memory" : "Download";
            if (mirrorError != null && ShouldProcess(Core.Http.UserInfo.Redact(text), action))
            {
                EnsureJob().Add(BatchItem.Invalid(text, $"'{Core.Http.UserInfo.Redact(text)}': {mirrorError}"));
                continue;
            }

            if (!UrlParser.TryParse(text, out Uri? uri, out string? error))
            {
                // Asked like any item, so -WhatIf starts nothing, not even a job that would only report the error.
                if (ShouldProcess(Core.Http.UserInfo.Redact(text), action))
                {
                    EnsureJob().Add(BatchItem.Invalid(text, $"'{text}': {error}"));
                }

                continue;
            }

            if (ShouldProcess(Core.Http.UserInfo.Redact(uri!), action))
            {
                EnsureJob().Add(BatchItem.Valid(text, BuildRequest(uri!, mirrors)));
            }
        }

        if (!AsJob && _job != null)
        {
            WriteAvailable(_job);
        }
    }

    protected override void EndProcessing()
    {
        if (_job == null)
        {
            return;
        }

        _job.CompleteInput();
        if (!AsJob)
        {
            RunToEnd(_job);
        }
    }

    #endregion

    /// <summary>
    /// The job, created with the first item that is to run: under -WhatIf no item is, so nothing is started,
    /// registered or written.
    /// </summary>
    private DownloadJob EnsureJob()
    {
        if (_job != null)
        {
            return _job;
        }

        _job = new DownloadJob(MyInvocation.Line?.Trim() is { Length: > 0 } line ? line : "Start-Download", Name, BuildDownloadOptions());
        Launch(_job, background: AsJob);
        if (AsJob)
        {
            WriteObject(_job);
        }

        return _job;
    }

    private DownloadRequest BuildRequest(Uri uri, Uri[] mirrors)
    {
        DownloadRequest target = Commands.Destination.Request(this, uri, Destination);
        return new DownloadRequest(uri)
        {
            Directory = target.Directory,
            OutputPath = target.OutputPath,
            ExpectedSha256 = string.IsNullOrWhiteSpace(Sha256) ? null : Sha256,
            InMemory = InMemory,
            Mirrors = mirrors,
        };
    }

    /// <summary>The shared options plus what only Start-Download has: a batch total, -Force, -Accept, in-memory size.</summary>
    private DownloadOptions BuildDownloadOptions()
    {
        DownloadOptions options = BuildOptions(_singleUrl, IsBound(nameof(Threads)) ? Threads : null);
        if (Force)
        {
            options = options with { ExistingFile = ExistingFilePolicy.Overwrite };
        }

        if (Accept != null)
        {
            options = options with { AcceptContentTypes = Accept };
        }

        if (IsBound(nameof(MaximumInMemorySize)))
        {
            options = options with { MaxInMemorySize = MaximumInMemorySize };
        }

        return options;
    }
}
