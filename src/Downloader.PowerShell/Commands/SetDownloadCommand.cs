using System.Management.Automation;
using Downloader.Core.Sessions;
using Downloader.Core.Transfer;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// <para type="synopsis">Changes the rate cap, connections or priority of running downloads or queue entries; they follow within moments.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "Download", SupportsShouldProcess = true, DefaultParameterSetName = IdSet)]
[OutputType(typeof(DownloaderJob), typeof(Output.PersistedDownload))]
public sealed class SetDownloadCommand : DownloadJobCmdletBase
{
    #region Parameters

    /// <summary>One cap for all connections of the download; 0 for none.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long MaximumBytesPerSecond { get; set; }

    /// <summary>Most connections for one file, up to the connections the download started with (per file, or in all).</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ConnectionsPerFile { get; set; }

    /// <summary>Connections the whole download may use at once.</summary>
    [Parameter]
    [Alias("ThrottleLimit")]
    [ValidateRange(1, 1024)]
    public int Threads { get; set; }

    /// <summary>Background uses only what other traffic leaves idle; Normal and Foreground take what their connections get.</summary>
    [Parameter]
    public DownloadPriority Priority { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    #endregion

    protected override void BeginProcessing()
    {
        if (!IsBound(nameof(MaximumBytesPerSecond)) && !IsBound(nameof(ConnectionsPerFile)) && !IsBound(nameof(Threads)) && !IsBound(nameof(Priority)))
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("Give what to change: -MaximumBytesPerSecond, -ConnectionsPerFile, -Threads or -Priority."),
                "Downloader.SetDownloadNothingToChange",
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    protected override void ProcessRecord()
    {
        if (OnQueue)
        {
            // Queue entries: the change goes into each entry's file, and the worker (another process) applies it to
            // a running download at its next look at the queue's requests.
            var queue = Core.Queue.DownloadQueue.Open();
            PersistedSelection.Change(this, queue, SelectEntries(queue), Change(), Action(), PassThru);
            return;
        }

        ForEachSelected(Action(), Apply, PassThru, Applies);
    }

    private Core.Queue.LimitChange Change() => new()
    {
        MaximumBytesPerSecond = IsBound(nameof(MaximumBytesPerSecond)) ? MaximumBytesPerSecond : null,
        ConnectionsPerFile = IsBound(nameof(ConnectionsPerFile)) ? ConnectionsPerFile : null,
        Threads = IsBound(nameof(Threads)) ? Threads : null,
        Priority = IsBound(nameof(Priority)) ? (Core.Priority.DownloadPriority)Priority : null,
    };

    private bool IsBound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

    // What -WhatIf and -Confirm show: the changes asked for.
    private string Action()
    {
        var changes = new System.Collections.Generic.List<string>();
        foreach (string name in new[] { nameof(MaximumBytesPerSecond), nameof(ConnectionsPerFile), nameof(Threads), nameof(Priority) })
        {
            if (MyInvocation.BoundParameters.TryGetValue(name, out object? value))
            {
                changes.Add($"{name} {value}");
            }
        }

        return "Set " + string.Join(", ", changes);
    }

    private bool Applies(DownloaderJob job)
    {
        if (job is not DownloadJob download)
        {
            WriteError(new ErrorRecord(
                new PSNotSupportedException($"'{job.Name}' is a stream (Start-DownloadStream): its connections follow the player; stop it and start it again to change them."),
                "Downloader.SetDownloadStream",
                ErrorCategory.InvalidOperation,
                job));
            return false;
        }

        if (SessionStateMachine.IsFinished(download.Session.State.State))
        {
            WriteVerbose($"'{job.Name}' has ended: nothing to change.");
            return false;
        }

        if (IsBound(nameof(Threads)) && download.Session.Limits.Threads == null)
        {
            WriteError(new ErrorRecord(
                new PSInvalidOperationException($"'{job.Name}' has no overall connection limit to change: -Threads applies to downloads started with one."),
                "Downloader.SetDownloadNoThreads",
                ErrorCategory.InvalidOperation,
                job));
            return false;
        }

        return true;
    }

    private void Apply(DownloaderJob job)
    {
        LiveLimits limits = ((DownloadJob)job).Session.Limits;
        if (IsBound(nameof(ConnectionsPerFile)) && ConnectionsPerFile > limits.Ceiling)
        {
            WriteWarning($"'{job.Name}': {limits.Ceiling} connections per file at most, the most its files were started with.");
        }

        Change().ApplyTo(limits);
    }
}
