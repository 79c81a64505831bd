using Downloader.Core.Results;
using Downloader.Core.Sessions;

namespace Downloader.Core.Tests.Unit;

/// <summary>The one definition of a batch's counts and finished bytes, which the snapshot, progress and CLI share.</summary>
public sealed class BatchStatisticsTests
{
    [Fact]
    public void Finished_bytes_are_those_of_completed_and_skipped_items_only()
    {
        var statistics = new BatchStatistics();
        statistics.Add(new DownloadResult { Status = DownloadStatus.Completed, Bytes = 1000 });
        statistics.Add(new DownloadResult { Status = DownloadStatus.Skipped, Bytes = 200 });
        statistics.Add(new DownloadResult { Status = DownloadStatus.Failed, Bytes = 30 });
        statistics.Add(new DownloadResult { Status = DownloadStatus.Cancelled, Bytes = 4 });

        Assert.Equal(1200, statistics.FinishedBytes);
        Assert.Equal(1000, statistics.CompletedBytes);
        Assert.Equal(2, statistics.Done);
        Assert.Equal(4, statistics.Ended);
        Assert.Equal((1, 1, 1, 1), (statistics.Completed, statistics.Skipped, statistics.Failed, statistics.Cancelled));
    }

    [Fact]
    public void The_batch_progress_record_counts_what_the_statistics_count()
    {
        var sink = new ProgressCollector();
        var statistics = new BatchStatistics();
        var reporter = new ProgressReporter(sink, () => TimeSpan.Zero, TimeSpan.Zero, statistics);
        statistics.Add(new DownloadResult { Status = DownloadStatus.Failed, Bytes = 0 });

        reporter.Tick(force: true);

        ProgressInfo batch = Assert.Single(sink.Records);
        Assert.Equal(1, statistics.Failed);
        Assert.StartsWith("1 of 1 files done", batch.StatusDescription, StringComparison.Ordinal);
        Assert.Equal(100, batch.PercentComplete);
    }

    [Fact]
    public void A_started_item_counts_as_running_until_its_result_is_counted_and_the_record_says_so()
    {
        var sink = new ProgressCollector();
        var statistics = new BatchStatistics();
        var reporter = new ProgressReporter(sink, () => TimeSpan.Zero, TimeSpan.Zero, statistics);
        statistics.Started();
        statistics.Started();
        statistics.Add(new DownloadResult { Status = DownloadStatus.Completed, Bytes = 10 }, started: true);

        reporter.Tick(force: true);

        Assert.Equal((1, 1), statistics.Items());
        Assert.StartsWith("1 of 2 files done", Assert.Single(sink.Records).StatusDescription, StringComparison.Ordinal);
    }
}
