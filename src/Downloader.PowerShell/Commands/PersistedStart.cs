using System.Management.Automation;
using Downloader.Core;
using Downloader.Core.Batch;
using Downloader.Core.Queue;
using Downloader.PowerShell.Output;
using Downloader.PowerShell.Queue;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Start-Download -Persist: each item goes into the user's durable queue and its entry is written at once; a worker
/// is started, detached from this session, unless one runs. An item the queue cannot keep (a secret, a
/// session-only setting) is refused with an error naming it, and the rest carry on.
/// </summary>
internal sealed class PersistedStart
{
    private readonly DownloadQueue _queue = DownloadQueue.Open();
    private bool _started;
    private DownloadOptions? _options;

    /// <summary>For a command with -Persist; terminating when it is combined with what only a session can do.</summary>
    public static PersistedStart Begin(PSCmdlet cmdlet, bool asJob, bool refreshesUrls)
    {
        if (refreshesUrls)
        {
            // The refresher is a scriptblock of this session (it is passed beside the options, never in them), so the
            // worker, another process, could not run it.
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-Persist and -RefreshUrl cannot be combined: the scriptblock lives in this session, and a persisted download runs in the queue's worker. Download it directly to refresh URLs.", "Persist"),
                "Downloader.PersistWithRefreshUrl",
                ErrorCategory.InvalidArgument,
                null));
        }

        if (asJob)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new PSArgumentException("-Persist and -AsJob cannot be combined: a persisted download belongs to the queue's worker, not to a job of this session. Get-Download -Persisted shows it.", "Persist"),
                "Downloader.PersistWithAsJob",
                ErrorCategory.InvalidArgument,
                null));
        }

        return new PersistedStart();
    }

    /// <summary>Queues one item; <paramref name="options"/> (the command's, built once) is asked for the first.</summary>
    public void Add(PSCmdlet cmdlet, BatchItem item, System.Func<DownloadOptions> options)
    {
        QueueEntry? entry = null;
        string? refusal = item.Error;
        if (item.Request != null)
        {
            entry = QueueEntry.For(item.Request, _options ??= options(), out refusal);
        }

        if (entry == null)
        {
            cmdlet.WriteError(new ErrorRecord(new PSArgumentException(refusal), "Downloader.CannotPersist", ErrorCategory.InvalidArgument, Core.Http.UserInfo.Redact(item.Input)));
            return;
        }

        cmdlet.WriteObject(new PersistedDownload(_queue.Add(entry), 0));
        if (!_started)
        {
            _started = true;
            StartWorker(cmdlet, _queue);
        }
    }

    /// <summary>After the last item: a worker that ended meanwhile (it had finished the first items) is started again.</summary>
    public void End(PSCmdlet cmdlet)
    {
        if (_started)
        {
            StartWorker(cmdlet, _queue);
        }
    }

    public static void StartWorker(PSCmdlet cmdlet, DownloadQueue queue)
    {
        WorkerCommand command = WorkerHost.Command((string)cmdlet.SessionState.PSVariable.GetValue("PSHOME"), queue.Folder.Root);
        if (!System.IO.File.Exists(command.Program))
        {
            cmdlet.WriteWarning($"No queue worker was started: '{command.Program}' is not there. Run 'downloader queue run', or install the trigger with Register-DownloadService.");
            return;
        }

        bool started = WorkerLauncher.EnsureRunning(queue, command.Program, command.Arguments);
        cmdlet.WriteVerbose(started ? $"Started a queue worker: {command.Program}." : $"A queue worker runs already (process {queue.WorkerPid()}).");
    }
}
