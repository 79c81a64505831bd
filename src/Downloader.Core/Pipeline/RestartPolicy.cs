namespace Downloader.Core.Pipeline;

/// <summary>What the orchestrator does after a transfer, the same for a file and for memory.</summary>
internal enum NextStep
{
    Finish,

    /// <summary>Throw away what was saved and probe again: the file changed under us.</summary>
    Reprobe,

    /// <summary>Throw away what was saved and fetch the whole file as one stream: ranges cannot be trusted.</summary>
    SingleStream,
}

/// <summary>
/// The one restart rule. A changed remote file is fetched again from scratch, at most <see cref="MaxRestarts"/> times
/// (a file rewritten continuously would otherwise never end); a server that does not honour ranges gets one single
/// stream, which needs no ranges.
/// </summary>
internal static class RestartPolicy
{
    public const int MaxRestarts = 3;

    /// <param name="restarts">How many times the download was restarted so far.</param>
    /// <param name="single">Whether the transfer already was a single stream.</param>
    public static NextStep After(TransferOutcome outcome, int restarts, bool single, string what) => outcome switch
    {
        TransferOutcome.Completed => NextStep.Finish,
        TransferOutcome.RemoteChanged when restarts < MaxRestarts => NextStep.Reprobe,
        TransferOutcome.RemoteChanged => throw new DownloadException(
            DownloadErrorKind.RemoteChanged, $"{what}: the remote file kept changing during the download ({MaxRestarts} restarts)."),
        TransferOutcome.RangeNotHonoured when !single => NextStep.SingleStream,
        _ => throw new DownloadException(DownloadErrorKind.RangeNotHonoured, $"{what}: the server ignored a range request."),
    };
}
