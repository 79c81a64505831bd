using System;
using Downloader.PowerShell.Jobs;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// The lifecycle of the job a downloading cmdlet runs, written once for Start-Download, Resume-Download and
/// Start-DownloadStream: start it (handed to the job manager when it outlives the command), write its streams on the
/// pipeline thread, stop it on Ctrl+C, and retire it when the command ends.
/// </summary>
public abstract partial class DownloadCmdletBase : IDisposable
{
    private DownloaderJob? _job;
    private bool _background;

    /// <summary>
    /// Starts a job for this command. A background job (-AsJob, or a stream that serves after the command returns) is
    /// registered with PowerShell's job manager, as ThreadJob does; a foreground one is this command's until it is
    /// retired.
    /// </summary>
    protected void Launch(DownloaderJob job, bool background)
    {
        _job = job;
        _background = background;
        if (background)
        {
            JobPump.Register(this, job);
        }

        job.StartJob();
    }

    /// <summary>Writes whatever the job has produced so far, without waiting. Only from this cmdlet's overrides.</summary>
    protected void WriteAvailable(DownloadJob job) => JobPump.Drain(this, job);

    /// <summary>Writes the job's streams until it has finished; then retires it, so a next one may start.</summary>
    protected void RunToEnd(DownloadJob job)
    {
        JobPump.DrainUntilFinished(this, job);
        Retire(job);
    }

    /// <summary>Ctrl+C: stop the transfers and keep partial files, so the same command (or Resume-Download -Path) resumes them.</summary>
    protected override void StopProcessing() => _job?.Stop(deletePartial: false);

    /// <summary>
    /// Runs when the command ends, however it ends: a foreground job is retired (also after Ctrl+C or a failed
    /// input pipeline, when EndProcessing never runs); a background download job gets no more input, so it ends
    /// once the items it has are done instead of waiting for input forever.
    /// </summary>
    public void Dispose()
    {
        if (_job is not DownloadJob download)
        {
            // A stream job belongs to the job manager and ends by Stop-Download.
            return;
        }

        if (_background)
        {
            download.CompleteInput();
        }
        else
        {
            Retire(download);
        }
    }

    /// <summary>
    /// A foreground job's end: nothing runs on without its command and its connections go, but Get-Download keeps
    /// listing it among the recent downloads, unless it never had an item.
    /// </summary>
    private void Retire(DownloadJob job)
    {
        if (ReferenceEquals(_job, job))
        {
            _job = null;
        }

        job.EndForeground();
        if (job.Session.Total > 0)
        {
            DownloadRegistry.Retire(job);
        }
        else
        {
            job.Dispose();
        }
    }
}
