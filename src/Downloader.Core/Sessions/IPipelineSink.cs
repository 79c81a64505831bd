using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// Where a session's output goes. Called from worker threads, so an implementation must be thread-safe and must not
/// touch the PowerShell pipeline directly: the job implementation adds to its thread-safe streams, which the
/// pipeline thread drains. Progress may come from several threads at once; results, failures and cancellations come
/// one at a time, in the order the session delivers them. An exception thrown here costs that one write, not the batch.
/// </summary>
public interface IPipelineSink
{
    void WriteResult(DownloadResult result);

    void WriteFailure(DownloadResult result);

    /// <summary>An item cancelled by a stop; its partial data stays for resuming unless the stop said otherwise.</summary>
    void WriteCancelled(DownloadResult result);

    void WriteProgress(ProgressInfo progress);

    void WriteVerbose(string message);
}
