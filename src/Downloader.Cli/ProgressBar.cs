using Downloader.Core.Sessions;

namespace Downloader.Cli;

/// <summary>A one-line progress bar drawn from a session's progress record: the bar, the percent, then its status.</summary>
internal static class ProgressBar
{
    private const int Width = 30;

    internal static string Render(ProgressInfo p)
    {
        int percent = p.PercentComplete;
        int filled = percent < 0 ? 0 : percent * Width / 100;
        string bar = new string('#', filled) + new string('-', Width - filled);
        string pct = percent < 0 ? "  ?%" : $"{percent,3}%";
        return $"[{bar}] {pct} {p.StatusDescription}";
    }
}
