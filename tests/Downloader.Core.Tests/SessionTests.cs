using System.Collections.Concurrent;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Sessions;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>The bridge under the PowerShell job: results, errors and progress reach a sink; suspend, resume and stop.</summary>
[Collection(OriginCollection.Name)]
public sealed class SessionTests
{
    private readonly OriginServer _origin;

    public SessionTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Results_errors_and_progress_reach_the_sink()
    {
        using var dir = new TempDirectory();
        var sink = new RecordingSink();
        using var session = new DownloadSession(new DownloadOptions { TotalConnections = 4, MaxRetries = 0 }, sink, TimeSpan.Zero);
        string k = TestData.Key();
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"file/{k}-a").AbsoluteUri, 1, dir.Path));
        session.Add(UrlListReader.Parse(_origin.Url($"status/404/{k}").AbsoluteUri, 2, dir.Path));
        session.Add(UrlListReader.Parse("ftp://nowhere/x", 3, dir.Path));
        session.CompleteInput();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SessionState.Failed, session.State.State);
        Assert.Equal(dir.File($"{k}-a"), Assert.Single(sink.Results).Path);
        Assert.Equal(2, sink.Failures.Count);
        Assert.Contains(sink.Failures, f => f.HttpStatus == 404);
        Assert.Contains(sink.Failures, f => f.Input == "ftp://nowhere/x");

        ProgressInfo[] progress = sink.Progress.ToArray();
        Assert.All(progress, p => Assert.InRange(p.PercentComplete, -1, 100));
        // A file's bar, if it was shown at all, is closed; one never shown gets no Completed record.
        var shown = progress.Where(p => p.ActivityId != 0 && !p.IsCompleted).Select(p => p.ActivityId).Distinct();
        Assert.All(shown, id => Assert.Contains(progress, p => p.ActivityId == id && p.IsCompleted));
        Assert.DoesNotContain(progress, p => p.ActivityId != 0 && p.IsCompleted && !shown.Contains(p.ActivityId));
        ProgressInfo last = progress[^1];
        Assert.True(last.ActivityId == ProgressReporter.BatchActivityId && last.IsCompleted, "the batch's Completed record comes last");
    }

    [Fact]
    public async Task All_good_items_complete_the_session()
    {
        using var dir = new TempDirectory();
        var sink = new RecordingSink();
        using var session = new DownloadSession(new DownloadOptions { TotalConnections = 4 }, sink);
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"file/{TestData.Key()}").AbsoluteUri, 1, dir.Path));
        session.CompleteInput();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SessionState.Completed, session.State.State);
        Assert.Single(sink.Results);
        Assert.Empty(sink.Failures);
    }

    [Fact]
    public async Task A_disposed_session_still_reports_what_it_did_and_ignores_further_control()
    {
        using var dir = new TempDirectory();
        var session = new DownloadSession(new DownloadOptions { TotalConnections = 4 }, new RecordingSink());
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"file/{TestData.Key()}").AbsoluteUri, 1, dir.Path));
        session.CompleteInput();
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        session.Dispose();
        session.Dispose();

        Assert.False(session.Stop());
        SessionSnapshot snapshot = session.Snapshot();
        Assert.Equal(SessionState.Completed, snapshot.State);
        Assert.Equal(1, snapshot.Completed);
        Assert.Equal(OriginServer.FileSize, snapshot.BytesReceived);
    }

    [Fact]
    public async Task Suspend_stops_transfer_and_resume_finishes()
    {
        using var dir = new TempDirectory();
        var sink = new RecordingSink();
        using var session = new DownloadSession(new DownloadOptions { TotalConnections = 4, MinSplitSize = 128 * 1024 }, sink);
        string k = TestData.Key();
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"slow/1000000/{k}").AbsoluteUri, 1, dir.Path));
        session.CompleteInput();
        await DownloadHarness.WaitUntilAsync(() => session.Snapshot().BytesReceived > 300_000);

        Assert.True(session.Suspend());
        await DownloadHarness.WaitUntilAsync(() => session.State.State == SessionState.Suspended);
        long atSuspend = session.Snapshot().BytesReceived;
        await Task.Delay(600);
        Assert.Equal(atSuspend, session.Snapshot().BytesReceived);

        Assert.True(session.Resume());
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SessionState.Completed, session.State.State);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(k)));
    }

    [Fact]
    public async Task Stop_keeps_partial_files_and_ends_Stopped()
    {
        using var dir = new TempDirectory();
        var sink = new RecordingSink();
        using var session = new DownloadSession(new DownloadOptions { TotalConnections = 4 }, sink);
        string k = TestData.Key();
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"slow/500000/{k}").AbsoluteUri, 1, dir.Path));
        await DownloadHarness.WaitUntilAsync(() => session.Snapshot().BytesReceived > 100_000);

        Assert.True(session.Stop());
        await session.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(SessionState.Stopped, session.State.State);
        Assert.Contains(k + ".part", dir.Files());
        Assert.False(File.Exists(dir.File(k)));
    }

    [Fact]
    public void Progress_is_throttled_per_activity_and_the_parent_comes_first()
    {
        var sink = new RecordingSink();
        TimeSpan now = TimeSpan.Zero;
        var reporter = new ProgressReporter(sink, () => now, TimeSpan.FromSeconds(1));

        reporter.Tick();
        reporter.Tick();
        now = TimeSpan.FromMilliseconds(900);
        reporter.Tick();
        Assert.Single(sink.Progress);

        now = TimeSpan.FromMilliseconds(1100);
        reporter.Tick();
        Assert.Equal(2, sink.Progress.Count);
        Assert.All(sink.Progress, p => Assert.Equal(ProgressReporter.BatchActivityId, p.ActivityId));

        reporter.Complete();
        Assert.True(sink.Progress.Last().IsCompleted);
    }

    [Theory]
    [InlineData(SessionState.NotStarted, SessionState.Running, true)]
    [InlineData(SessionState.Running, SessionState.Suspending, true)]
    [InlineData(SessionState.Suspending, SessionState.Suspended, true)]
    [InlineData(SessionState.Suspended, SessionState.Running, true)]
    [InlineData(SessionState.Suspended, SessionState.Stopping, true)]
    [InlineData(SessionState.Stopping, SessionState.Stopped, true)]
    [InlineData(SessionState.Running, SessionState.Completed, true)]
    [InlineData(SessionState.Running, SessionState.Suspended, false)]
    [InlineData(SessionState.Completed, SessionState.Running, false)]
    [InlineData(SessionState.Stopped, SessionState.Running, false)]
    [InlineData(SessionState.Failed, SessionState.Stopping, false)]
    [InlineData(SessionState.NotStarted, SessionState.Suspending, false)]
    [InlineData(SessionState.Suspending, SessionState.Completed, true)]
    [InlineData(SessionState.Completed, SessionState.Suspending, false)]
    [InlineData(SessionState.Stopping, SessionState.Running, false)]
    [InlineData(SessionState.Stopped, SessionState.Stopped, false)]
    public void Session_state_moves(SessionState from, SessionState to, bool legal) =>
        Assert.Equal(legal, SessionStateMachine.IsLegal(from, to));

    private sealed class RecordingSink : IPipelineSink
    {
        public ConcurrentQueue<DownloadResult> ResultsQueue { get; } = new();

        public List<DownloadResult> Results => ResultsQueue.ToList();

        public ConcurrentQueue<DownloadResult> FailuresQueue { get; } = new();

        public List<DownloadResult> Failures => FailuresQueue.ToList();

        public ConcurrentQueue<ProgressInfo> ProgressQueue { get; } = new();

        public List<ProgressInfo> Progress => ProgressQueue.ToList();

        public void WriteResult(DownloadResult result) => ResultsQueue.Enqueue(result);

        public void WriteFailure(DownloadResult result) => FailuresQueue.Enqueue(result);

        public ConcurrentQueue<DownloadResult> CancelledQueue { get; } = new();

        public void WriteCancelled(DownloadResult result) => CancelledQueue.Enqueue(result);

        public void WriteProgress(ProgressInfo progress) => ProgressQueue.Enqueue(progress);

        public void WriteVerbose(string message)
        {
        }
    }
}
