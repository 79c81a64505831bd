using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Downloader.Core.Queue;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Get-, Suspend-, Resume- and Stop-Download on the user's durable queue (-Persisted, or queue entries from the
/// pipeline): selecting entries by -Id, -Name (wildcards) or pipeline, and acting on them through
/// <see cref="QueueControl"/>, so another process's worker applies the change (or this one, when none runs).
/// </summary>
internal static class PersistedSelection
{
    public const string EntrySet = "Entry";

    /// <summary>The entries the parameters select; an -Id or -Name that matches nothing is a non-terminating error.</summary>
    public static IEnumerable<QueueEntry> Select(Cmdlet cmdlet, DownloadQueue queue, int[]? id, string[]? name, PersistedDownload[]? entries)
    {
        if (entries != null)
        {
            return entries.Select(e => queue.Get(e.Id) ?? e.Entry);
        }

        IReadOnlyList<QueueEntry> all = queue.List();
        if (name != null)
        {
            return name.SelectMany(n => JobSelection.Matching(cmdlet, all, n, e => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(e.Name)));
        }

        return id == null ? all : id.SelectMany(i => JobSelection.Matching(cmdlet, all, i.ToString(System.Globalization.CultureInfo.InvariantCulture), e => e.Id == i));
    }

    /// <summary>Get-Download -Persisted: the entries, then a warning when work waits and no OS trigger would start a worker.</summary>
    public static void Write(PSCmdlet cmdlet, IEnumerable<QueueEntry> entries, DownloadQueue queue, bool results)
    {
        int worker = queue.WorkerPid();
        bool waiting = false;
        foreach (QueueEntry entry in entries)
        {
            waiting |= !entry.IsFinished && entry.State != QueueEntryState.Suspended;
            if (!results)
            {
                cmdlet.WriteObject(new PersistedDownload(entry, worker));
            }
            else if (entry.Result != null)
            {
                WriteResult(cmdlet, entry);
            }
        }

        if (waiting && worker == 0 && !new Core.Service.ServiceTrigger(queue.Folder).IsInstalled)
        {
            cmdlet.WriteWarning("The queue holds work, but no worker runs and no OS trigger is installed: nothing will start one at logon or after a reboot. Run Register-DownloadService once, or Resume-Download -Persisted to start a worker now.");
        }
    }

    /// <summary>Asks for <paramref name="request"/> on each entry (after ShouldProcess), starting a worker after a resume.</summary>
    public static void Act(PSCmdlet cmdlet, DownloadQueue queue, IEnumerable<QueueEntry> entries, QueueRequest request, string action, bool passThru)
    {
        int asked = ForEach(cmdlet, queue, entries, action, passThru, entry =>
            (QueueControl.Ask(queue, entry.Id, request, out string? error) == null ? null : queue.Get(entry.Id), error));
        if (asked > 0 && request == QueueRequest.Resume)
        {
            PersistedStart.StartWorker(cmdlet, queue);
        }
    }

    /// <summary>
    /// Set-Download on entries: each one's limits change in its file, and a worker running it applies them to the
    /// download within moments. A completed entry is left as it is.
    /// </summary>
    public static void Change(PSCmdlet cmdlet, DownloadQueue queue, IEnumerable<QueueEntry> entries, LimitChange change, string action, bool passThru) =>
        ForEach(cmdlet, queue, entries, action, passThru, entry =>
        {
            if (entry.State == QueueEntryState.Completed)
            {
                cmdlet.WriteVerbose($"'{entry.Name}' (queue entry {entry.Id}) has completed: nothing to change.");
                return (null, null);
            }

            if (change.Threads != null && entry.Options.TotalConnections == 0 && entry.State == QueueEntryState.Running)
            {
                cmdlet.WriteWarning($"'{entry.Name}' (queue entry {entry.Id}) runs without an overall connection limit: -Threads applies from its next start.");
            }

            return (QueueControl.Change(queue, entry.Id, change, out string? error), error);
        });

    /// <summary>
    /// For each entry: ShouldProcess, then <paramref name="ask"/> (the entry to write under -PassThru, or an error);
    /// how many were asked.
    /// </summary>
    private static int ForEach(PSCmdlet cmdlet, DownloadQueue queue, IEnumerable<QueueEntry> entries, string action, bool passThru, System.Func<QueueEntry, (QueueEntry? Now, string? Error)> ask)
    {
        int asked = 0;
        foreach (QueueEntry entry in entries.ToList())
        {
            if (!cmdlet.ShouldProcess($"{entry.Name} (queue entry {entry.Id})", action))
            {
                continue;
            }

            (QueueEntry? now, string? error) = ask(entry);
            if (error != null)
            {
                cmdlet.WriteError(new ErrorRecord(new ItemNotFoundException(error), "Downloader.DownloadNotFound", ErrorCategory.ObjectNotFound, entry.Id));
                continue;
            }

            asked++;
            if (passThru && now != null)
            {
                cmdlet.WriteObject(new PersistedDownload(now, queue.WorkerPid()));
            }
        }

        return asked;
    }

    /// <summary>A finished entry's DownloadItem, as Start-Download wrote it; a failed one's error record.</summary>
    private static void WriteResult(PSCmdlet cmdlet, QueueEntry entry)
    {
        Core.Results.DownloadResult result = entry.Result!;
        if (entry.State == QueueEntryState.Completed)
        {
            cmdlet.WriteObject(new DownloadItem(result));
        }
        else
        {
            cmdlet.WriteError(ErrorRecords.FromResult(result));
        }
    }
}
