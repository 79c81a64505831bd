using System;
using Downloader.Core.Formatting;
using Downloader.Core.Sessions;

namespace Downloader.Cli;

/// <summary>The summary line a list download ends with, read from the session's statistics.</summary>
internal static class BatchSummary
{
    public static string Format(BatchStatistics s, TimeSpan elapsed)
    {
        // The speed is of what this run downloaded, so skipped items' bytes are left out of it. Cancelled items show
        // as failed, as they always have in this line.
        double seconds = elapsed.TotalSeconds;
        long bytes = s.CompletedBytes;
        return $"{s.Completed} completed, {s.Skipped} skipped, {s.Failed + s.Cancelled} failed; {ByteSize.Format(bytes)} in {seconds:0.00} s " +
            $"({ByteSize.FormatSpeed(seconds > 0 ? bytes / seconds : 0)})";
    }
}
