using System.Collections.Generic;
using System.Management.Automation;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Moves a job's streams onto a cmdlet's pipeline. Called only from the cmdlet's own overrides, which run on the
/// pipeline thread: the one place PowerShell allows Write* calls.
/// </summary>
internal static class JobPump
{
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
            bool finished = job.Finished.WaitOne(100);
            Drain(cmdlet, job);
            if (finished && !job.HasMoreData)
            {
                return;
            }
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
