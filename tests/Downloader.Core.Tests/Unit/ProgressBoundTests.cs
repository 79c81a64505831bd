using Downloader.Core.Results;
using Downloader.Core.Sessions;

namespace Downloader.Core.Tests.Unit;

/// <summary>
/// Progress costs the host a bounded number of records per interval however many files a list holds: a handful of
/// children at once, and Completed records only for activities that were shown.
/// </summary>
public sealed class ProgressBoundTests
{
    private const int MaxChildren = 4;

    [Fact]
    public void Thousands_of_short_files_send_a_bounded_number_of_records_per_interval()
    {
        var sink = new ProgressCollector();
        TimeSpan now = TimeSpan.Zero;
        using var client = new DownloadClient(new DownloadOptions());
        var reporter = new ProgressReporter(sink, () => now, TimeSpan.FromSeconds(1), maxChildren: MaxChildren);
        var running = new Queue<FileDownload>();
        int files = 0;

        // 20 intervals; in each, 500 files start and most of them end, ticking every 10 ms as the session does.
        for (int second = 0; second < 20; second++)
        {
            int before = sink.Records.Count;
            for (int step = 0; step < 100; step++)
            {
                now = TimeSpan.FromMilliseconds((second * 1000) + (step * 10));
                for (int i = 0; i < 5; i++)
                {
                    var download = client.Create(new DownloadRequest(new Uri($"http://127.0.0.1/f{files++}")));
                    reporter.Started(download);
                    running.Enqueue(download);
                }

                while (running.Count > 16)
                {
                    reporter.Finished(running.Dequeue(), new DownloadResult { Status = DownloadStatus.Completed, Bytes = 4096 });
                }

                reporter.Tick();
            }

            int sent = sink.Records.Count - before;
            Assert.InRange(sent, 1, 1 + (3 * MaxChildren));
        }

        Assert.Equal(10_000, files);
        var shownIds = sink.Records.Where(r => !r.IsCompleted && r.ActivityId != ProgressReporter.BatchActivityId).Select(r => r.ActivityId).ToHashSet();
        var completedIds = sink.Records.Where(r => r.IsCompleted).Select(r => r.ActivityId).ToList();
        Assert.All(completedIds, id => Assert.Contains(id, shownIds));
        Assert.Equal(completedIds.Count, completedIds.Distinct().Count());
        Assert.True(shownIds.Count < files / 50, $"{shownIds.Count} of {files} files were shown");
    }

    [Fact]
    public void At_most_a_handful_of_children_are_shown_at_once_and_the_parent_carries_the_count()
    {
        var sink = new ProgressCollector();
        TimeSpan now = TimeSpan.Zero;
        using var client = new DownloadClient(new DownloadOptions());
        var statistics = new BatchStatistics();
        var reporter = new ProgressReporter(sink, () => now, TimeSpan.FromSeconds(1), statistics, MaxChildren);
        var downloads = Enumerable.Range(0, 12)
            .Select(i => client.Create(new DownloadRequest(new Uri($"http://127.0.0.1/g{i}"))))
            .ToList();

        // The session counts what runs; the reporter only reads it.
        downloads.ForEach(d => { statistics.Started(); reporter.Started(d); });

        reporter.Tick();

        Assert.Equal(ProgressReporter.BatchActivityId, sink.Records[0].ActivityId);
        Assert.StartsWith("0 of 12 files done", sink.Records[0].StatusDescription, StringComparison.Ordinal);
        Assert.Equal(MaxChildren, sink.Records.Count(r => r.ActivityId != ProgressReporter.BatchActivityId));

        // A file never shown ends silently; a shown one gets its Completed record at once.
        int shown = sink.Records[1].ActivityId;
        int before = sink.Records.Count;
        reporter.Finished(downloads[^1], new DownloadResult { Status = DownloadStatus.Completed });
        Assert.Equal(before, sink.Records.Count);
        reporter.Finished(downloads[0], new DownloadResult { Status = DownloadStatus.Completed });
        ProgressInfo completed = Assert.Single(sink.Records.Skip(before));
        Assert.True(completed.IsCompleted);
        Assert.Equal(shown, completed.ActivityId);
    }
}
