using System.Management.Automation;
using Downloader.Core.Sessions;

namespace Downloader.PowerShell.Jobs;

/// <summary>
/// What Get-, Suspend-, Resume- and Stop-Download work on: a batch download job or a streaming job. Each registers
/// itself so those cmdlets find it, foreground or -AsJob alike. A job belongs to the runspace that made it, as every
/// PowerShell job does: another runspace of the same process neither lists nor stops it.
/// </summary>
public abstract class DownloaderJob : Job2
{
    protected DownloaderJob(string command, string? name)
        : base(command, name)
    {
        Output.EnumeratorNeverBlocks = true;
        Error.EnumeratorNeverBlocks = true;
        Progress.EnumeratorNeverBlocks = true;
        Verbose.EnumeratorNeverBlocks = true;
        Warning.EnumeratorNeverBlocks = true;
        Debug.EnumeratorNeverBlocks = true;
        Information.EnumeratorNeverBlocks = true;

        // Constructed on the pipeline thread of the command that starts it, where DefaultRunspace is the caller's.
        Owner = System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId ?? System.Guid.Empty;
        DownloadRegistry.Add(this);
    }

    public override string Location => "localhost";

    /// <summary>The runspace that started this job.</summary>
    internal System.Guid Owner { get; }

    public override bool HasMoreData =>
        Output.Count > 0 || Error.Count > 0 || Progress.Count > 0 || Verbose.Count > 0 ||
        Warning.Count > 0 || Debug.Count > 0 || Information.Count > 0;

    internal abstract SessionSnapshot Snapshot();

    internal abstract void Stop(bool deletePartial);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DownloadRegistry.Remove(this);
        }

        base.Dispose(disposing);
    }
}
