using System;
using System.Management.Automation;
using System.Net;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Watch while downloading: serves a media file to a player on a local URL, with seeking.</para>
/// Starts a <see cref="StreamJob"/> and writes its <see cref="StreamInfo"/> once the local server listens.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "DownloadStream", SupportsShouldProcess = true, DefaultParameterSetName = DownloadSet)]
[OutputType(typeof(StreamInfo))]
public sealed class StartDownloadStreamCommand : DownloadCmdletBase
{
    private readonly Destination _destination = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url", "Source")]
    [ValidateNotNullOrEmpty]
    public string Uri { get; set; } = string.Empty;

    /// <summary>A folder (default: the current location), or a file path.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("OutFile")]
    public string? Destination { get; set; }

    [Parameter]
    [ValidateRange(0, 65535)]
    public int Port { get; set; }

    /// <summary>127.0.0.1 unless given: another address exposes the file to the network.</summary>
    [Parameter]
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The job's name.</summary>
    [Parameter]
    public string? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (!UrlParser.TryParse(Uri, out System.Uri? uri, out string? error))
        {
            WriteError(new ErrorRecord(new ArgumentException($"'{Uri}': {error}"), "Downloader.InvalidRequest", ErrorCategory.InvalidArgument, Uri));
            return;
        }

        if (!IPAddress.TryParse(BindAddress, out IPAddress? address))
        {
            WriteError(new ErrorRecord(new ArgumentException($"'{BindAddress}' is not an IP address."), "Downloader.InvalidRequest", ErrorCategory.InvalidArgument, BindAddress));
            return;
        }

        if (!ShouldProcess(Core.Http.UserInfo.Redact(uri!), $"Stream on {address}"))
        {
            return;
        }

        DownloadRequest request = _destination.Request(this, uri!, Destination);
        var job = new StreamJob(MyInvocation.Line?.Trim() ?? "Start-DownloadStream", Name, BuildOptions(singleUrl: true), request, address!, Port);

        // The job serves after this command returns, so it belongs to the job manager from the start.
        Launch(job, background: true);

        // Waiting here is on the pipeline thread, which is where the result must be written from. The job's start has
        // its own deadline (-TimeoutSec), and Ctrl+C (StopProcessing) stops the job, which ends this wait at once.
        job.Ready.Wait();
        StreamInfo? info = job.Ready.Result;
        foreach (ErrorRecord record in job.Error.ReadAll())
        {
            WriteError(record);
        }

        if (info != null)
        {
            job.Output.ReadAll();
            WriteObject(info);
        }
    }
}
