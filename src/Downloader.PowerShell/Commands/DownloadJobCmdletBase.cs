using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// The selection shared by Get-, Suspend-, Resume- and Stop-Download: by -Id, by -Name (wildcards), or from the
/// pipeline (a download job, or Get-Download's output through its Job property).
/// </summary>
public abstract class DownloadJobCmdletBase : PSCmdlet
{
    protected const string IdSet = "Id";
    protected const string NameSet = "Name";
    protected const string JobSet = "Job";

    #region Parameters

    [Parameter(Position = 0, ParameterSetName = IdSet)]
    public int[]? Id { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    public DownloaderJob[]? Job { get; set; }

    #endregion

    /// <summary>The jobs the parameters select; an -Id or -Name that matches nothing is a non-terminating error.</summary>
    protected IEnumerable<DownloaderJob> SelectJobs()
    {
        IReadOnlyList<DownloaderJob> all = DownloadRegistry.All();
        switch (ParameterSetName)
        {
            case JobSet:
                return Job ?? Enumerable.Empty<DownloaderJob>();
            case NameSet:
                return Name!.SelectMany(n => Matching(all, n, j => new WildcardPattern(n, WildcardOptions.IgnoreCase).IsMatch(j.Name)));
            default:
                return Id == null ? all : Id.SelectMany(i => Matching(all, i.ToString(System.Globalization.CultureInfo.InvariantCulture), j => j.Id == i));
        }
    }

    private IEnumerable<DownloaderJob> Matching(IReadOnlyList<DownloaderJob> all, string what, System.Func<DownloaderJob, bool> predicate)
    {
        var found = all.Where(predicate).ToList();
        if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(what))
        {
            WriteError(new ErrorRecord(
                new ItemNotFoundException($"No download matches '{what}'."),
                "Downloader.DownloadNotFound",
                ErrorCategory.ObjectNotFound,
                what));
        }

        return found;
    }
}
