using System.Collections.Concurrent;
using System.Net.Http;
using Downloader.Core.Batch;
using Downloader.Core.Resume;
using Downloader.Core.Results;
using Downloader.Core.Sessions;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Shutdown is awaited and bookkeeping survives a failing handler: when StopAsync returns nothing of the session
/// still runs, and a sink or Finished handler that throws costs its own update, never the batch.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SessionShutdownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private readonly OriginServer _origin;

    public SessionShutdownTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_throwing_Finished_handler_still_lets_every_result_out()
    {
        using var dir = new TempDirectory();
        using var client = new DownloadClient(new DownloadOptions { TotalConnections = 1, MaxRetries = 0 });
        var runner = new BatchRunner(client);
        runner.Finished += (_, _) => throw new InvalidOperationException("a removed job's closed stream");
        string k = TestData.Key();

        // Admission holds 2 x 1 items: five items need their slots back, and the producer waits for all of them.
        List<DownloadResult> results = await Collect(runner.RunAsync(Items(k, dir.Path, 5))).WaitAsync(Bound);

        Assert.Equal(5, results.Count);
        Assert.All(results, r => Assert.Equal(DownloadStatus.Completed, r.Status));
    }

    [Fact]
    public async Task A_sink_that_throws_on_progress_still_gets_every_result_and_the_session_completes()
    {
        using var dir = new TempDirectory();
        var sink = new ThrowingProgressSink();
        using var session = new DownloadSession(new DownloadOptions { TotalConnections = 1, MaxRetries = 0 }, sink, TimeSpan.Zero);
        string k = TestData.Key();
        session.Start();
        await foreach (BatchItem item in Items(k, dir.Path, 4))
        {
            session.Add(item);
        }

        session.Add(UrlListReader.Parse(_origin.Url($"status/404/{k}").AbsoluteUri, 5, dir.Path));
        session.CompleteInput();
        await session.Completion.WaitAsync(Bound);

        Assert.True(sink.ProgressCalls > 0, "the sink was asked for progress and threw");
        Assert.Equal(4, sink.Results.Count);
        Assert.Single(sink.Failures);
        Assert.Equal(SessionState.Failed, session.State.State);
        Assert.Equal(4, session.Snapshot().Completed);
    }

    [Fact]
    public async Task StopAsync_returns_once_every_download_has_closed_its_files_and_connections()
    {
        using var dir = new TempDirectory();
        // Two connections per file in a budget of four: both files run at once whichever starts first. With four per
        // file the first could borrow the whole budget before the second's probe asked, and run alone to its end.
        var options = DownloadHarness.FastOptions(connections: 2) with
        {
            TotalConnections = 4,

            // No periodic checkpoint: a state file with bytes in it can only come from the final one, on stop.
            CheckpointInterval = TimeSpan.FromHours(1),
        };
        var session = new DownloadSession(options, new ThrowingProgressSink());
        string[] keys = { TestData.Key(), TestData.Key() };
        session.Start();
        foreach (string key in keys)
        {
            session.Add(UrlListReader.Parse(_origin.Url($"slow/300000/{key}").AbsoluteUri, 1, dir.Path));
        }

        await DownloadHarness.WaitUntilAsync(() => session.Snapshot().Active.Count == 2 && session.Snapshot().Active.All(p => p.BytesReceived > 100_000), 30_000);

        await session.StopAsync(deletePartial: false).WaitAsync(Bound);

        Assert.True(session.Completion.IsCompleted, "the run loop has ended");
        Assert.Equal(SessionState.Stopped, session.State.State);
        foreach (string key in keys)
        {
            string part = dir.File(key) + ".part";
            using (new FileStream(part, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
            {
                // Opened exclusively: no download holds it any more.
            }

            ResumeState? state = ResumeStateFile.TryLoad(dir.File(key) + ResumeStateFile.Extension);
            Assert.NotNull(state);
            Assert.True(state!.Completed.TotalLength > 100_000, $"the final checkpoint recorded {state.Completed.TotalLength} bytes");
        }

        // The engine closed its responses before StopAsync returned; the origin notices that on its own schedule.
        session.Dispose();
        await DownloadHarness.WaitUntilAsync(() => keys.All(k => _origin.ActiveRequestsFor($"/slow/300000/{k}") == 0), 5_000);
    }

    [Fact]
    public async Task StopAsync_on_a_session_that_never_started_returns_at_once()
    {
        using var session = new DownloadSession(new DownloadOptions(), new ThrowingProgressSink());

        await session.StopAsync(deletePartial: true).WaitAsync(Bound);

        Assert.Equal(SessionState.Stopped, session.State.State);
    }

    [Fact]
    public async Task Dispose_under_running_downloads_waits_for_them_to_end()
    {
        using var dir = new TempDirectory();
        var options = DownloadHarness.FastOptions() with { TotalConnections = 2, CheckpointInterval = TimeSpan.FromHours(1) };
        var session = new DownloadSession(options, new ThrowingProgressSink());
        string k = TestData.Key();
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"slow/300000/{k}").AbsoluteUri, 1, dir.Path));
        await DownloadHarness.WaitUntilAsync(() => session.Snapshot().BytesReceived > 100_000, 30_000);

        session.Stop();
        session.Dispose();

        using (new FileStream(dir.File(k) + ".part", FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
        }

        Assert.True(ResumeStateFile.TryLoad(dir.File(k) + ResumeStateFile.Extension)!.Completed.TotalLength > 100_000);
    }

    [Fact]
    public async Task A_download_is_active_and_announced_before_it_sends_anything_so_a_stop_with_DeletePartial_reaches_it_first()
    {
        using var dir = new TempDirectory();
        using var client = new DownloadClient(DownloadHarness.FastOptions());
        var runner = new BatchRunner(client);
        string k = TestData.Key();
        string path = $"/file/{k}-0";
        bool activeWhenAnnounced = false;
        bool requestedBeforeAnnounced = true;
        runner.Started += download =>
        {
            activeWhenAnnounced = runner.Active.Contains(download);

            // Had it started before this point, its probe would reach the origin within moments; the bound only ends
            // the wait on a correct runner, where nothing can arrive until this handler returns.
            requestedBeforeAnnounced = _origin.FirstRequest(path).Wait(TimeSpan.FromSeconds(2));

            // What a session's stop with -DeletePartial does to a download it finds here.
            download.Cancel(deletePartial: true);
        };

        List<DownloadResult> results = await Collect(runner.RunAsync(Items(k, dir.Path, 1))).WaitAsync(Bound);

        Assert.True(activeWhenAnnounced, "announced before it was in Active");
        Assert.False(requestedBeforeAnnounced, "the download sent its first request before the runner announced it");
        Assert.Equal(DownloadStatus.Cancelled, results.Single().Status);
        Assert.Equal(0, _origin.Hits(path));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_download_announced_after_a_stop_with_DeletePartial_is_cancelled_before_it_sends_anything()
    {
        using var dir = new TempDirectory();
        using var client = new DownloadClient(DownloadHarness.FastOptions());
        string path = $"/file/{TestData.Key()}";
        var stop = new SessionStop();

        // The stop looked at the active downloads before this one was among them.
        stop.Stop(deletePartial: true, Array.Empty<FileDownload>());
        FileDownload late = client.Create(new DownloadRequest(_origin.Url(path)) { Directory = dir.Path });
        stop.Starting(late);
        late.Start();

        Assert.Equal(DownloadStatus.Cancelled, (await late.Completion.WaitAsync(Bound)).Status);
        Assert.Equal(0, _origin.Hits(path));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_suspended_session_disposed_without_a_stop_ends_its_run_loop()
    {
        using var dir = new TempDirectory();
        var session = new DownloadSession(DownloadHarness.FastOptions(), new ThrowingProgressSink());
        string first = TestData.Key(), second = TestData.Key();
        session.Start();
        session.Add(UrlListReader.Parse(_origin.Url($"slow/300000/{first}").AbsoluteUri, 1, dir.Path));

        // The first item has started, so the batch is back waiting for the next one.
        await _origin.FirstRequest($"/slow/300000/{first}").WaitAsync(Bound);
        Assert.True(session.Suspend());

        // Queued while suspended: the batch takes it from the queue and waits for the resume that never comes.
        session.Add(UrlListReader.Parse(_origin.Url($"file/{second}").AbsoluteUri, 2, dir.Path));
        session.Dispose();

        await session.Completion.WaitAsync(Bound);
        Assert.True(SessionStateMachine.IsFinished(session.State.State), $"the session ended in {session.State.State}");
        Assert.Equal(0, _origin.Hits($"/file/{second}"));
    }

    [Fact]
    public async Task Dispose_keeps_the_client_for_a_download_that_outlives_its_bound_and_releases_it_when_that_ends()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        (DownloadSession session, StuckRefresher refresher) = await StartStuckAsync(key, dir);
        await Task.Run(session.Dispose).WaitAsync(Bound);

        // Dispose's bound has passed with that download still live: its connections must still work.
        using (HttpResponseMessage response = await session.Client.HttpClient.GetAsync(_origin.Url($"small/{key}")).WaitAsync(Bound))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        refresher.Release();
        await session.Completion.WaitAsync(Bound);

        // Once it has ended, the client goes.
        await DownloadHarness.WaitUntilAsync(() => IsDisposed(session.Client.HttpClient), 10_000);
    }

    [Fact]
    public async Task Stop_and_teardown_share_one_bound_when_a_download_ignores_its_cancellation()
    {
        using var dir = new TempDirectory();
        (DownloadSession session, StuckRefresher refresher) = await StartStuckAsync(TestData.Key(), dir);

        // The download waits on a hook that ignores cancellation, so neither the stop nor the teardown sees it end.
        var bound = TimeSpan.FromSeconds(5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Run(() => session.StopAndDispose(bound)).WaitAsync(Bound);
        TimeSpan held = clock.Elapsed;

        // One bound is 5 s; the stop's bound followed by the teardown's own (10 s) would be 15 s. The line at 10 s
        // leaves 5 s on either side, which no busy machine's timers come near.
        Assert.True(held >= bound - TimeSpan.FromSeconds(1), $"returned after {held.TotalSeconds:0.0} s, before the stuck download let it");
        Assert.True(held < bound + TimeSpan.FromSeconds(5), $"held the caller {held.TotalSeconds:0.0} s: two bounds in a row, not one");

        refresher.Release();
        await session.Completion.WaitAsync(Bound);
    }

    /// <summary>A session whose one download has reached a refresh hook that ignores cancellation: the URL expired half-way.</summary>
    private async Task<(DownloadSession Session, StuckRefresher Refresher)> StartStuckAsync(string key, TempDirectory dir)
    {
        ExpiringTokens tokens = _origin.Tokens(key);
        var refresher = new StuckRefresher(() => _origin.SignedUrl(403, key, tokens.Issue()));
        var session = new DownloadSession(DownloadHarness.FastOptions(), new ThrowingProgressSink(), refresher: refresher);
        session.Start();
        session.Add(UrlListReader.Parse(_origin.SignedUrl(403, key, "t1").AbsoluteUri, 1, dir.Path));
        await refresher.Called.WaitAsync(Bound);
        return (session, refresher);
    }

    private static async Task<List<DownloadResult>> Collect(IAsyncEnumerable<DownloadResult> results)
    {
        var all = new List<DownloadResult>();
        await foreach (DownloadResult result in results)
        {
            all.Add(result);
        }

        return all;
    }

    private async IAsyncEnumerable<BatchItem> Items(string key, string directory, int count)
    {
        for (int i = 0; i < count; i++)
        {
            yield return UrlListReader.Parse(_origin.Url($"file/{key}-{i}").AbsoluteUri, i + 1, directory);
        }

        await Task.CompletedTask;
    }

    private static bool IsDisposed(HttpClient client)
    {
        try
        {
            client.CancelPendingRequests();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>A refresh hook that, like a script stuck on a prompt, ignores cancellation until the test releases it.</summary>
    private sealed class StuckRefresher : IUrlRefresher
    {
        private readonly Func<Uri> _next;
        private readonly TaskCompletionSource _called = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StuckRefresher(Func<Uri> next)
        {
            _next = next;
        }

        public Task Called => _called.Task;

        public void Release() => _release.TrySetResult();

        public async Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
        {
            _called.TrySetResult();
            await _release.Task.WaitAsync(TimeSpan.FromSeconds(60));
            return _next();
        }
    }

    /// <summary>A sink whose progress handling always fails, as a removed job's closed streams would.</summary>
    private sealed class ThrowingProgressSink : IPipelineSink
    {
        private int _progressCalls;

        public int ProgressCalls => Volatile.Read(ref _progressCalls);

        public ConcurrentQueue<DownloadResult> ResultQueue { get; } = new();

        public ConcurrentQueue<DownloadResult> FailureQueue { get; } = new();

        public List<DownloadResult> Results => ResultQueue.ToList();

        public List<DownloadResult> Failures => FailureQueue.ToList();

        public void WriteResult(DownloadResult result) => ResultQueue.Enqueue(result);

        public void WriteFailure(DownloadResult result) => FailureQueue.Enqueue(result);

        public void WriteCancelled(DownloadResult result)
        {
        }

        public void WriteProgress(ProgressInfo progress)
        {
            Interlocked.Increment(ref _progressCalls);
            throw new InvalidOperationException("The sink's stream is closed.");
        }

        public void WriteVerbose(string message)
        {
        }
    }
}
