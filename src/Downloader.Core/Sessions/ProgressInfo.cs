namespace Downloader.Core.Sessions;

/// <summary>
/// One progress update, free of PowerShell types; the cmdlets turn it into a ProgressRecord. Ids are unique within
/// one session; the batch is activity 0 and each file gets its own id with the batch as parent.
/// </summary>
public sealed record ProgressInfo(
    int ActivityId,
    int ParentActivityId,
    string Activity,
    string StatusDescription,
    int PercentComplete,
    int SecondsRemaining,
    bool IsCompleted);
