namespace Downloader.Core.Pipeline;

/// <summary>
/// How a transfer ended when it did not fail outright. The two restart cases are results, not exceptions, so the
/// orchestrator decides what happens next in one switch (see <see cref="RestartPolicy"/>).
/// </summary>
internal enum TransferOutcome
{
    Completed,

    /// <summary>A range request was answered with something else than the range (a 200, another encoding).</summary>
    RangeNotHonoured,

    /// <summary>The validators changed: the remote file is another version than the bytes already saved.</summary>
    RemoteChanged,
}
