using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// Selecting downloads by -Id, -Name (wildcards) or from the pipeline, and acting on each selected one, for every
/// cmdlet that takes those parameters: the <see cref="DownloadJobCmdletBase"/> ones and Resume-Download, which
/// derives from <see cref="DownloadCmdletBase"/> for its -Path set. Runs on the pipeline thread only.
/// </summary>
internal static class JobSelection
{
    public const string IdSet = "Id";
    public const string NameSet = "Name";
    public const string JobSet = "Job";

    /// <summary>The jobs the parameters select; an -Id or -Name that matches nothing is a non-terminating error.</summary>
    public static IEnumerable<DownloaderJob> Select(Cmdlet cmdlet, string parameterSet, int[]? id, string[]? name, DownloaderJob[]? job)
    {
        IReadOnlyList<DownloaderJob> all = DownloadRegistry.All();
        switch (parameterSet)
        {
            case JobSet:
                return job ?? Enumerable.Empty<DownloaderJob>();
            case NameSet:
                return name!.SelectMany(n => Matching(cmdlet, all, n, j => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(j.Name)));
            default:
                return id == null ? all : id.SelectMany(i => Matching(cmdlet, all, i.ToString(System.Globalization.CultureInfo.InvariantCulture), j => j.Id == i));
        }
    }

    /// <summary>
    /// For each job: ask ShouldProcess with <paramref name="action"/>, act, and write the job under -PassThru. A job
    /// <paramref name="applies"/> rejects is skipped (it writes its own error).
    /// </summary>
    public static void ForEach(
        Cmdlet cmdlet,
        IEnumerable<DownloaderJob> jobs,
        string action,
        Action<DownloaderJob> act,
        bool passThru,
        Func<DownloaderJob, bool>? applies = null)
    {
        foreach (DownloaderJob job in jobs)
        {
            if ((applies == null || applies(job)) && cmdlet.ShouldProcess(job.Name, action))
            {
                act(job);
                if (passThru)
                {
                    cmdlet.WriteObject(job);
                }
            }
        }
    }

    /// <summary>What <paramref name="predicate"/> selects; nothing for a name without wildcards is an error naming it.</summary>
    internal static IEnumerable<T> Matching<T>(Cmdlet cmdlet, IReadOnlyList<T> all, string what, Func<T, bool> predicate)
    {
        var found = all.Where(predicate).ToList();
        if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(what))
        {
            cmdlet.WriteError(new ErrorRecord(
                new ItemNotFoundException($"No download matches '{what}'."),
                "Downloader.DownloadNotFound",
                ErrorCategory.ObjectNotFound,
                what));
        }

        return found;
    }
}
