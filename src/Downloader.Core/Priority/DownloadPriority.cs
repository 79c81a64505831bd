namespace Downloader.Core.Priority;

/// <summary>
/// How a download shares the link with everything else on it. Foreground and Normal behave the same: they take what
/// their connections get (Normal is there so a script can say what it means, as with BITS). Background keeps the
/// link's queueing delay low: it slows down and sheds connections when other traffic appears, and grows back when the
/// link is idle again (<see cref="DelayController"/>).
/// </summary>
public enum DownloadPriority
{
    Normal = 0,
    Foreground = 1,
    Background = 2,
}
