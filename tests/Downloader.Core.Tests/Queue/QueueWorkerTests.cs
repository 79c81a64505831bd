using System.Text.Json;
using Downloader.Core.Queue;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests.Queue;

/// <summary>
/// The worker in this process against the loopback origin: it works the queue to empty, records each end in the
/// entry and one log line, and a second worker leaves the queue to the one holding the lock. (The worker as its own
/// process, killed and started again, is in Downloader.PowerShell.Tests' PersistedQueueTests.)
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class QueueWorkerTests
{
    private readonly OriginServer _origin;

    public QueueWorkerTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void The_worker_finishes_the_queue_and_reports_each_end_in_the_entry_and_the_log()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        string key = TestData.Key();
        QueueEntry good = queue.Add(Entry(_origin.Url($"file/{key}"), dir.Path, "good.bin"));
        QueueEntry bad = queue.Add(Entry(_origin.Url($"status/404/{key}"), dir.Path, "bad.bin"));

        int exit = RunBounded(queue);

        Assert.Equal(0, exit);
        QueueEntry done = queue.Get(good.Id)!;
        QueueEntry failed = queue.Get(bad.Id)!;
        Assert.Equal(QueueEntryState.Completed, done.State);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("good.bin")));
        Assert.Equal(TestData.Sha256(_origin.Content), done.Result!.Sha256);
        Assert.Equal(QueueEntryState.Failed, failed.State);
        Assert.Contains("404", failed.LastError);

        var lines = File.ReadAllLines(queue.Folder.Log).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        JsonElement ok = lines.Single(l => l.GetProperty("id").GetInt32() == good.Id);
        Assert.Equal("Completed", ok.GetProperty("status").GetString());
        Assert.Equal(dir.File("good.bin"), ok.GetProperty("path").GetString());
        Assert.Equal(_origin.Content.Length, ok.GetProperty("size").GetInt64());
        Assert.Equal(TestData.Sha256(_origin.Content), ok.GetProperty("hash").GetString());
        JsonElement ko = lines.Single(l => l.GetProperty("id").GetInt32() == bad.Id);
        Assert.Equal("Failed", ko.GetProperty("status").GetString());
        Assert.Contains("404", ko.GetProperty("error").GetString());
        Assert.Equal(_origin.Url($"status/404/{key}").AbsoluteUri, ko.GetProperty("url").GetString());
    }

    [Fact]
    public void A_second_worker_leaves_the_queue_to_the_one_holding_the_lock()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry entry = queue.Add(Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "x.bin"));
        using IDisposable held = queue.TryLockWorker()!;

        int exit = RunBounded(queue);

        Assert.Equal(0, exit);
        Assert.Equal(QueueEntryState.Queued, queue.Get(entry.Id)!.State);
        Assert.False(File.Exists(dir.File("x.bin")));
        Assert.Equal(Environment.ProcessId, queue.WorkerPid());
    }

    [Fact]
    public void The_worker_removes_the_temporary_files_of_writers_that_died_and_keeps_a_live_writers()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        Directory.CreateDirectory(queue.Folder.Entries);
        int dead;
        using (var exited = System.Diagnostics.Process.Start("true")!)
        {
            exited.WaitForExit();
            dead = exited.Id;
        }

        string Temp(string name, int pid) => Path.Combine(queue.Folder.Entries, $"{name}.{pid}.{Guid.NewGuid():N}.tmp");
        string orphan = Temp("1.json", dead);
        string live = Temp("2.request", Environment.ProcessId);
        string old = Temp("3.change", Environment.ProcessId);
        foreach (string file in new[] { orphan, live, old })
        {
            File.WriteAllText(file, "{}");
        }

        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - TimeSpan.FromMinutes(11));

        Assert.Equal(0, RunBounded(queue));

        Assert.False(File.Exists(orphan), "the temp of a process that is gone is still there");
        Assert.False(File.Exists(old), "a temp 11 minutes old is still there");
        Assert.True(File.Exists(live), "the temp of a live writer was removed under it");
    }

    [Fact]
    public async Task An_entry_runs_with_its_stored_priority_and_a_change_reaches_its_client_and_its_file()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        var options = new DownloadOptions { MaxRetries = 0, Priority = Priority.DownloadPriority.Background };
        QueueEntry added = queue.Add(QueueEntry.For(new DownloadRequest(_origin.Url($"slow/100000/{TestData.Key()}")) { Directory = dir.Path }, options, out _)!);

        using var active = new ActiveEntry(queue.Get(added.Id)!);
        Assert.Equal(Priority.DownloadPriority.Background, active.Limits.Priority);

        active.Change(new LimitChange { MaximumBytesPerSecond = 4096, Priority = Priority.DownloadPriority.Normal });
        active.End(QueueRequest.RemoveAndDeletePartial);

        Assert.Equal(4096, active.Limits.MaximumBytesPerSecond);
        Assert.Equal(Priority.DownloadPriority.Normal, active.Limits.Priority);
        Assert.Equal(4096, active.Entry.Options.BytesPerSecond);
        Assert.Equal(Priority.DownloadPriority.Normal, active.Entry.Options.Priority);
        await active.Completion.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Changes_asked_before_the_worker_looks_are_merged_and_kept_apart_from_requests()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry added = queue.Add(Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "x.bin"));
        using IDisposable held = queue.TryLockWorker()!;

        queue.AskChange(added.Id, new LimitChange { MaximumBytesPerSecond = 1000, ConnectionsPerFile = 2 });
        queue.AskChange(added.Id, new LimitChange { ConnectionsPerFile = 3, Priority = Priority.DownloadPriority.Background });
        queue.Ask(added.Id, QueueRequest.Suspend);

        Assert.True(queue.HasRequests());
        Assert.Equal(new[] { new KeyValuePair<int, QueueRequest>(added.Id, QueueRequest.Suspend) }, queue.TakeRequests());
        var change = Assert.Single(queue.TakeChanges());
        Assert.Equal(new LimitChange { MaximumBytesPerSecond = 1000, ConnectionsPerFile = 3, Priority = Priority.DownloadPriority.Background }, change.Value);
        Assert.False(queue.HasRequests());
    }

    [Fact]
    public async Task An_entry_whose_destination_another_download_holds_waits_and_ends_only_once_it_has_the_file()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        Uri url = _origin.Url($"file/{TestData.Key()}");
        QueueEntry entry = queue.Add(Entry(url, dir.Path, "held.bin"));
        // As another run of the same URL into the same folder would hold it (a second process; in this one, an open of
        // its own conflicts the same way).
        IDisposable held = Storage.TargetLock.TryAcquire(dir.File("held.bin"), url, out _)!;
        Assert.NotNull(held);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> run = Task.Run(() => new QueueWorker(queue).Run(deadline.Token));
        try
        {
            await DownloadHarness.WaitUntilAsync(() => queue.Get(entry.Id)!.LastError?.StartsWith("waiting: ", StringComparison.Ordinal) == true, 30_000);
            QueueEntry waiting = queue.Get(entry.Id)!;
            Assert.Equal(QueueEntryState.Queued, waiting.State);
            Assert.Contains("in progress in another download of this process", waiting.LastError);
            Assert.False(run.IsCompleted, "the worker left an entry that is still to be done");
            Assert.False(File.Exists(dir.File("held.bin")));
        }
        finally
        {
            held.Dispose();
        }

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.False(deadline.IsCancellationRequested, "the worker ran into its deadline");
        QueueEntry done = queue.Get(entry.Id)!;
        Assert.Equal(QueueEntryState.Completed, done.State);
        Assert.Equal(DownloadStatus.Completed, done.Result!.Status);
        Assert.Null(done.LastError);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("held.bin")));
    }

    /// <summary>An entry for <paramref name="url"/> into <paramref name="directory"/>/<paramref name="name"/>, with no retries.</summary>
    internal static QueueEntry Entry(Uri url, string directory, string name) =>
        QueueEntry.For(new DownloadRequest(url) { Directory = directory, FileName = name }, new DownloadOptions { MaxRetries = 0 }, out _)!;

    /// <summary>The worker in this process until it ends, at most a minute.</summary>
    internal static int RunBounded(DownloadQueue queue)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task<int> run = Task.Run(() => new QueueWorker(queue).Run(deadline.Token));
        Assert.True(run.Wait(TimeSpan.FromSeconds(90)), "the worker did not end");
        Assert.False(deadline.IsCancellationRequested, "the worker ran into its deadline");
        return run.Result;
    }
}
