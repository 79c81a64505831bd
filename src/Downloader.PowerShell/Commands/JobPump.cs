using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using Downloader.Core.Batch;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Moves a job's streams onto a cmdlet's pipeline. Called only from the cmdlet's own overrides, which run on the
/// pipeline thread: the one place PowerShell allows Write* calls.
/// </summary>
internal static class JobPump
{
    // How long the pipeline thread waits before it writes what the job has produced meanwhile.
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes whatever the job has produced so far, without waiting.</summary>
    public static void Drain(Cmdlet cmdlet, DownloadJob job)
    {
        // Scriptblocks run here, on the pipeline thread, never on the engine's (ScriptBlockRefresher says why).
        job.Refresher?.RunPending();
        foreach (ProgressRecord progress in job.Progress.ReadAll())
        {
            cmdlet.WriteProgress(progress);
        }

        foreach (VerboseRecord verbose in job.Verbose.ReadAll())
        {
            cmdlet.WriteVerbose(verbose.Message);
        }

        foreach (PSObject output in job.Output.ReadAll())
        {
            cmdlet.WriteObject(output);
        }

        foreach (ErrorRecord error in job.Error.ReadAll())
        {
            cmdlet.WriteError(error);
        }
    }

    /// <summary>Writes the job's streams until it has finished and nothing is left.</summary>
    public static void DrainUntilFinished(Cmdlet cmdlet, DownloadJob job)
    {
        while (true)
        {
            bool finished = job.Finished.WaitOne(DrainInterval);
            Drain(cmdlet, job);
            if (finished && !job.HasMoreData)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Hands an item to the job once its queue has room (<see cref="Core.Sessions.DownloadSession.AddAsync"/>),
    /// writing the job's streams while it waits. So a foreground command reads its pipeline input as the batch takes
    /// it: `Get-Content urls.txt | Start-Download` holds a window of the list, not all 100,000 parsed requests.
    /// Returns at once when the session has ended and takes no more (stopped): the item is then not run.
    /// </summary>
    public static void AddWhenRoom(Cmdlet cmdlet, DownloadJob job, BatchItem item)
    {
        Task<bool> added = job.AddWhenRoomAsync(item);
        while (!added.Wait(DrainInterval))
        {
            Drain(cmdlet, job);
        }
    }

    /// <summary>Hands the job to PowerShell's job manager through our adapter, as ThreadJob does.</summary>
    public static void Register(PSCmdlet cmdlet, DownloaderJob job)
    {
        var definition = new JobDefinition(typeof(DownloaderJobSourceAdapter), job.Command, job.Name);
        var parameters = new Dictionary<string, object> { [DownloaderJobSourceAdapter.JobParameter] = job };
        var specification = new JobInvocationInfo(definition, parameters);
        specification.Name = job.Name;
        cmdlet.JobManager.NewJob(specification);
    }
}
