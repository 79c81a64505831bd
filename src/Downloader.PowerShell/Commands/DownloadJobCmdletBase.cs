using System;
using System.Collections.Generic;
using System.Management.Automation;
using Downloader.Core.Queue;
using Downloader.PowerShell.Jobs;
using Downloader.PowerShell.Output;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// The selection shared by Get-, Suspend- and Stop-Download: by -Id, by -Name (wildcards), or from the pipeline (a
/// download job, or Get-Download's output through its Job property). Resume-Download declares the same three
/// parameters and uses the same <see cref="JobSelection"/>.
/// </summary>
public abstract class DownloadJobCmdletBase : PSCmdlet
{
    protected const string IdSet = JobSelection.IdSet;
    protected const string NameSet = JobSelection.NameSet;
    protected const string JobSet = JobSelection.JobSet;

    #region Parameters

    [Parameter(Position = 0, ParameterSetName = IdSet)]
    public int[]? Id { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = NameSet)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = JobSet)]
    public DownloaderJob[]? Job { get; set; }

    /// <summary>Acts on the user's durable queue (Start-Download -Persist), seen from any session, instead of this session's jobs.</summary>
    [Parameter(ParameterSetName = IdSet)]
    [Parameter(ParameterSetName = NameSet)]
    public SwitchParameter Persisted { get; set; }

    /// <summary>Queue entries, from Start-Download -Persist or Get-Download -Persisted.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PersistedSelection.EntrySet)]
    public PersistedDownload[]? Entry { get; set; }

    #endregion

    /// <summary>Whether the command acts on the durable queue (see <see cref="PersistedSelection"/>).</summary>
    protected bool OnQueue => Persisted || ParameterSetName == PersistedSelection.EntrySet;

    /// <summary>The queue entries the parameters select.</summary>
    protected IEnumerable<QueueEntry> SelectEntries(DownloadQueue queue) => PersistedSelection.Select(this, queue, Id, Name, Entry);

    /// <summary>Asks for <paramref name="request"/> on each selected queue entry.</summary>
    protected void ForEachPersisted(QueueRequest request, string action, bool passThru)
    {
        var queue = DownloadQueue.Open();
        PersistedSelection.Act(this, queue, SelectEntries(queue), request, action, passThru);
    }

    /// <summary>The jobs the parameters select; an -Id or -Name that matches nothing is a non-terminating error.</summary>
    protected IEnumerable<DownloaderJob> SelectJobs() => JobSelection.Select(this, ParameterSetName, Id, Name, Job);

    /// <summary>
    /// For each selected job: ShouldProcess with <paramref name="action"/>, act, and write the job under -PassThru.
    /// A job <paramref name="applies"/> rejects is skipped; it writes its own error.
    /// </summary>
    protected void ForEachSelected(string action, Action<DownloaderJob> act, bool passThru, Func<DownloaderJob, bool>? applies = null) =>
        JobSelection.ForEach(this, SelectJobs(), action, act, passThru, applies);
}
