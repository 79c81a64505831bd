using System;
using System.IO;
using System.Threading.Tasks;
using Downloader.Core;
using Downloader.Core.Formatting;
using Downloader.Core.Results;

namespace Downloader.Cli;

/// <summary>A one-line progress bar for one download, drawn from a progress snapshot.</summary>
internal static class ProgressBar
{
    private const int Width = 30;

    internal static string Render(DownloadProgress p)
    {
        double percent = p.PercentComplete;
        int filled = percent < 0 ? 0 : (int)(percent / 100 * Width);
        string bar = new string('#', filled) + new string('-', Width - filled);
        string pct = percent < 0 ? "  ?%" : $"{percent,3:0}%";
        return $"[{bar}] {pct} {ByteSize.Format(p.BytesReceived)}/{ByteSize.Format(p.TotalBytes)} " +
            $"{ByteSize.FormatSpeed(p.BytesPerSecond)} ETA {ByteSize.FormatDuration(p.Eta)} x{p.Connections.Count} {p.State}";
    }
}
