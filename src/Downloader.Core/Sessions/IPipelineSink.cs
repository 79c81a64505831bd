using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// Where a session's output goes. Called from worker threads, so an implementation must be thread-safe and must not
/// touch the PowerShell pipeline directly: the job implementation adds to its thread-safe streams, which the
/// pipeline thread drains.
/// </summary>
public interface IPipelineSink
{
    void WriteResult(DownloadResult result);

    void WriteFailure(DownloadResult result);

    void WriteProgress(ProgressInfo progress);

    void WriteVerbose(string message);
}
