using System;
using Downloader.Core.Results;

namespace Downloader.Core.Sessions;

/// <summary>
/// The session's sink behind a guard: a write that throws (a removed job's closed stream, a console that went away)
/// loses that one write. Letting it through would end the tick loop, skip a download's bookkeeping, or leave the run
/// loop with downloads still running, and the session would look ended while they are not.
/// </summary>
internal sealed class GuardedSink : IPipelineSink
{
    private readonly IPipelineSink _inner;

    public GuardedSink(IPipelineSink inner)
    {
        _inner = inner;
    }

    public void WriteResult(DownloadResult result) => Guard(() => _inner.WriteResult(result));

    public void WriteFailure(DownloadResult result) => Guard(() => _inner.WriteFailure(result));

    public void WriteCancelled(DownloadResult result) => Guard(() => _inner.WriteCancelled(result));

    public void WriteProgress(ProgressInfo progress) => Guard(() => _inner.WriteProgress(progress));

    public void WriteVerbose(string message) => Guard(() => _inner.WriteVerbose(message));

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (Exception)
        {
            // The sink's failure is the sink's problem; see the summary.
        }
    }
}
