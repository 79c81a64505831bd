using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// Registers download jobs with PowerShell's job manager, the way ThreadJob does: Start-Download builds the job,
/// passes it through a JobDefinition, and NewJob hands it back. Import-Module finds this class because it is public
/// with a parameterless constructor; its name is distinctive because adapters are keyed by type name. PowerShell
/// creates one adapter per runspace's job manager, so the jobs it holds (an instance field, never a static one) are
/// that runspace's only.
/// </summary>
public sealed class DownloaderJobSourceAdapter : JobSourceAdapter
{
    internal const string JobParameter = "DownloadJob";
    private readonly ConcurrentDictionary<Guid, Job2> Jobs = new();

    public DownloaderJobSourceAdapter()
    {
        Name = "DownloaderJobSourceAdapter";
    }

    public override Job2 NewJob(JobInvocationInfo specification)
    {
        if (specification?.Parameters.FirstOrDefault()?.FirstOrDefault(p => p.Name == JobParameter)?.Value is not DownloaderJob job)
        {
            throw new ArgumentException("The job specification does not carry a download job.", nameof(specification));
        }

        Jobs[job.InstanceId] = job;
        return job;
    }

    private static bool IsFinished(JobState state) =>
        state is JobState.Completed or JobState.Failed or JobState.Stopped;

    public override IList<Job2> GetJobs() => Jobs.Values.ToList();

    public override IList<Job2> GetJobsByName(string name, bool recurse) =>
        Jobs.Values.Where(j => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(j.Name)).ToList();

    public override IList<Job2> GetJobsByCommand(string command, bool recurse) =>
        Jobs.Values.Where(j => new WildcardPattern(command, WildcardOptions.IgnoreCase).IsMatch(j.Command)).ToList();

    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) =>
        Jobs.TryGetValue(instanceId, out Job2? job) ? job : null;

    public override Job2? GetJobBySessionId(int id, bool recurse) => Jobs.Values.FirstOrDefault(j => j.Id == id);

    public override IList<Job2> GetJobsByState(JobState state, bool recurse) =>
        Jobs.Values.Where(j => j.JobStateInfo.State == state).ToList();

    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) =>
        throw new PSNotSupportedException("Download jobs cannot be filtered; use -Name, -Id or -State.");

    public override void RemoveJob(Job2 job)
    {
        // Receive-Job -AutoRemoveJob removes a job from inside its final state change: a finished job must not be
        // stopped (and waited for) again, or the removal waits for the very task that raised the event.
        if (Jobs.TryRemove(job.InstanceId, out _) && !IsFinished(job.JobStateInfo.State))
        {
            job.StopJob();
        }
    }
}
