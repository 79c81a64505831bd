using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
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
public sealed class StartDownloadCommand : PSCmdlet, IDisposable
{
    private DownloadJob? _job;

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

    /// <summary>Connections the whole batch may use at once.</summary>
    [Parameter]
    [Alias("ThrottleLimit")]
    [ValidateRange(1, 1024)]
    public int Threads { get; set; } = 8;

    [Parameter]
    [ValidateRange(1, 64)]
    public int ConnectionsPerFile { get; set; } = 8;

    [Parameter]
    public SwitchParameter InMemory { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long MaximumInMemorySize { get; set; } = 256L * 1024 * 1024;

    [Parameter]
    public SwitchParameter AsJob { get; set; }

    /// <summary>The job's name.</summary>
    [Parameter]
    public string? Name { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public IDictionary? Headers { get; set; }

    [Parameter]
    public string? UserAgent { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public Uri? Proxy { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaximumRetryCount { get; set; } = 5;

    [Parameter]
    [ValidateRange(0, 3600)]
    public int RetryIntervalSec { get; set; } = 1;

    /// <summary>Seconds without data before a connection is retried.</summary>
    [Parameter]
    [ValidateRange(1, 86400)]
    public int TimeoutSec { get; set; } = 30;

    /// <summary>One cap for all connections of the batch; 0 for none.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaximumBytesPerSecond { get; set; }

    /// <summary>Accepted content types such as image/*; other items fail.</summary>
    [Parameter]
    public string[]? Accept { get; set; }

    #endregion

    #region Overrides

    protected override void ProcessRecord()
    {
        foreach (string text in Uri)
        {
            string action = InMemory ? "Download into memory" : "Download";
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
                EnsureJob().Add(BatchItem.Valid(text, BuildRequest(uri!)));
            }
        }

        if (!AsJob && _job != null)
        {
            JobPump.Drain(this, _job);
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
            JobPump.DrainUntilFinished(this, _job);
        }
    }

    /// <summary>Ctrl+C: stop every transfer and keep partial files, so the same command resumes them.</summary>
    protected override void StopProcessing() => _job?.Session.Stop();

    #endregion

    public void Dispose()
    {
        if (_job == null)
        {
            return;
        }

        if (AsJob)
        {
            // When the input pipeline fails, EndProcessing never runs: the job gets no more items, so it ends once
            // those it has are done instead of waiting for input forever.
            _job.CompleteInput();
            return;
        }

        _job.EndForeground();
        if (_job.Session.Total > 0)
        {
            // Get-Download keeps showing what this command did, among the recent downloads.
            DownloadRegistry.Retire(_job);
        }
        else
        {
            _job.Dispose();
        }
    }

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

        _job = new DownloadJob(MyInvocation.Line?.Trim() is { Length: > 0 } line ? line : "Start-Download", Name, BuildOptions());
        if (AsJob)
        {
            JobPump.Register(this, _job);
        }

        _job.StartJob();
        if (AsJob)
        {
            WriteObject(_job);
        }

        return _job;
    }

    private DownloadRequest BuildRequest(Uri uri)
    {
        DownloadRequest target = Commands.Destination.Request(this, uri, Destination);
        return new DownloadRequest(uri)
        {
            Directory = target.Directory,
            OutputPath = target.OutputPath,
            ExpectedSha256 = string.IsNullOrWhiteSpace(Sha256) ? null : Sha256,
            InMemory = InMemory,
        };
    }

    private DownloadOptions BuildOptions() => new()
    {
        TotalConnections = Threads,
        MaxConnectionsPerFile = ConnectionsPerFile,
        MaxConnectionsPerHost = Math.Max(Threads, ConnectionsPerFile),
        MaxRetries = MaximumRetryCount,
        RetryBaseDelay = TimeSpan.FromSeconds(RetryIntervalSec),
        ReadTimeout = TimeSpan.FromSeconds(TimeoutSec),
        ExistingFile = Force ? ExistingFilePolicy.Overwrite : ExistingFilePolicy.SkipOrRename,
        AcceptContentTypes = Accept ?? Array.Empty<string>(),
        MaxInMemorySize = MaximumInMemorySize,
        Headers = Headers?.Cast<DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? string.Empty)
            ?? new Dictionary<string, string>(),
        UserAgent = UserAgent ?? new DownloadOptions().UserAgent,
        Credential = Credential?.GetNetworkCredential(),
        Proxy = Proxy,
        SkipCertificateCheck = SkipCertificateCheck,
        BandwidthLimiter = MaximumBytesPerSecond > 0 ? new BandwidthLimiter(MaximumBytesPerSecond) : null,
    };
}
