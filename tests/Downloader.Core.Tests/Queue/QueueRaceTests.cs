using Downloader.Core.Queue;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests.Queue;

/// <summary>
/// Processes meeting on the queue at the same moment: a session applying a request (Suspend-, Set-, Stop-Download
/// with no worker running holds the worker lock for that moment) while a worker starts; a request written while the
/// worker takes the one before it; a resume following a suspend; ids of removed entries. Each asker is a thread of
/// this process, which takes the same locks and writes the same files as another process would.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class QueueRaceTests
{
    private readonly OriginServer _origin;

    public QueueRaceTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_worker_starting_while_a_session_applies_a_request_still_works_the_queue()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        using var stop = new CancellationTokenSource();
        Task asker = Asker(queue, stop.Token, new long[1]);
        try
        {
            for (int round = 0; round < 8; round++)
            {
                QueueEntry entry = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, $"f{round}.bin"));

                Assert.Equal(0, QueueWorkerTests.RunBounded(queue));

                QueueEntry after = queue.Get(entry.Id)!;
                Assert.True(after.State == QueueEntryState.Completed, $"round {round}: the worker ended leaving entry {entry.Id} {after.State}");
            }
        }
        finally
        {
            stop.Cancel();
            await asker.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task A_session_applying_a_request_is_not_reported_as_the_worker()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "x.bin"));
        using var stop = new CancellationTokenSource();
        var rounds = new long[1];
        Task asker = Asker(queue, stop.Token, rounds);
        var seen = new HashSet<int>();
        try
        {
            // A front end asks this to decide whether to start a worker: a nonzero answer while only a session holds
            // the lock for a moment leaves the entry it just queued with no worker.
            while (Interlocked.Read(ref rounds[0]) < 2000 && !asker.IsCompleted)
            {
                seen.Add(queue.WorkerPid());
            }
        }
        finally
        {
            stop.Cancel();
            await asker.WaitAsync(TimeSpan.FromSeconds(30));
        }

        Assert.Equal(new[] { 0 }, seen.Order());
    }

    [Fact]
    public async Task A_change_written_while_the_worker_takes_the_one_before_it_is_not_lost()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry entry = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "x.bin"));
        const int trials = 1500;
        var applied = new LimitChange();
        var asked = new SemaphoreSlim(0);
        var checkedTrial = new SemaphoreSlim(0);
        int lost = 0;
        using var stop = new CancellationTokenSource();
        // The worker's side: takes the changes over and over; after each trial, once more, and checks it has both.
        Task worker = Task.Factory.StartNew(
            () =>
            {
                for (int trial = 1; trial <= trials; trial++)
                {
                    while (!asked.Wait(0))
                    {
                        applied = TakeInto(queue, applied);
                    }

                    applied = TakeInto(queue, applied);
                    if (applied.MaximumBytesPerSecond != trial || applied.ConnectionsPerFile != trial)
                    {
                        lost++;
                        applied = applied with { MaximumBytesPerSecond = trial, ConnectionsPerFile = trial };
                    }

                    checkedTrial.Release();
                }
            },
            TaskCreationOptions.LongRunning);

        // Two sessions' Set-Download one after the other, each changing one limit.
        for (int trial = 1; trial <= trials; trial++)
        {
            queue.AskChange(entry.Id, new LimitChange { MaximumBytesPerSecond = trial });
            queue.AskChange(entry.Id, new LimitChange { ConnectionsPerFile = trial });
            asked.Release();
            Assert.True(await checkedTrial.WaitAsync(TimeSpan.FromSeconds(30)), "the taking thread did not check the trial");
        }

        await worker.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lost == 0, $"{lost} of {trials} changes asked were never applied");
    }

    [Fact]
    public async Task Two_sessions_changing_one_entry_at_once_each_keep_their_change()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry entry = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "x.bin"));
        const int rounds = 200;
        using var start = new Barrier(3);
        using var done = new Barrier(3);
        // Two sessions' Set-Download on one entry at the same moment, one changing the rate, the other the connections;
        // no worker looks meanwhile, so the change waiting after each round must hold both.
        Task Session(Func<int, LimitChange> change) => Task.Factory.StartNew(
            () =>
            {
                for (int round = 1; round <= rounds; round++)
                {
                    start.SignalAndWait(TimeSpan.FromSeconds(30));
                    queue.AskChange(entry.Id, change(round));
                    done.SignalAndWait(TimeSpan.FromSeconds(30));
                }
            },
            TaskCreationOptions.LongRunning);

        Task rates = Session(round => new LimitChange { MaximumBytesPerSecond = round });
        Task connections = Session(round => new LimitChange { ConnectionsPerFile = round });
        int lost = 0;
        for (int round = 1; round <= rounds; round++)
        {
            Assert.True(start.SignalAndWait(TimeSpan.FromSeconds(30)), "the sessions did not start the round");
            Assert.True(done.SignalAndWait(TimeSpan.FromSeconds(30)), "the sessions did not end the round");
            LimitChange waiting = Assert.Single(queue.TakeChanges()).Value;
            lost += waiting.MaximumBytesPerSecond == round && waiting.ConnectionsPerFile == round ? 0 : 1;
        }

        await Task.WhenAll(rates, connections).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lost == 0, $"in {lost} of {rounds} rounds, one session's change was lost");
    }

    [Fact]
    public async Task A_resume_asked_while_a_suspend_is_ending_the_download_puts_the_entry_back_to_work()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry added = queue.Add(QueueWorkerTests.Entry(_origin.Url($"slow/100000/{TestData.Key()}"), dir.Path, "slow.bin"));
        using var active = new ActiveEntry(queue.Get(added.Id)!);
        var running = new Dictionary<int, ActiveEntry> { [added.Id] = active };

        // Suspend-Download, taken by the worker, then Resume-Download before the worker has seen the download end.
        queue.Ask(added.Id, QueueRequest.Suspend);
        QueueRequests.Apply(queue, running);
        queue.Ask(added.Id, QueueRequest.Resume);
        QueueRequests.Apply(queue, running);

        await active.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        // What the worker makes of the ended download: Suspended would leave it waiting for a resume already given.
        Assert.Equal(QueueRequest.Resume, active.Ending);
    }

    [Fact]
    public async Task A_suspend_that_reaches_a_download_after_it_completed_leaves_it_completed()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        QueueEntry added = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "done.bin"));
        using var active = new ActiveEntry(queue.Get(added.Id)!);
        await active.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(DownloadStatus.Completed, active.Result().Status);

        // A Suspend-Download (or a service stop) taken by the worker between the file's rename and the worker's look
        // at the ended download. Kept as Suspended (or Queued), the entry would show no result and no log line, and a
        // resume would fetch it again (beside the first, as "done (1).bin", unless the server answers 304).
        queue.Ask(added.Id, QueueRequest.Suspend);
        QueueRequests.Apply(queue, new Dictionary<int, ActiveEntry> { [added.Id] = active });
        Assert.Equal(QueueRequest.Suspend, active.Ending);

        Assert.Null(active.EndingFor(active.Result()));
    }

    [Fact]
    public void A_removed_entrys_id_is_not_given_to_a_later_entry()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "a.bin"));
        QueueEntry removed = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "b.bin"));

        // Stop-Download with no worker running: applied at once. A script still holding the entry (or its id) would
        // then suspend or remove whatever entry later took the same id.
        Assert.NotNull(QueueControl.Ask(queue, removed.Id, QueueRequest.Remove, out _));
        Assert.Null(queue.Get(removed.Id));
        QueueEntry later = queue.Add(QueueWorkerTests.Entry(_origin.Url($"file/{TestData.Key()}"), dir.Path, "c.bin"));

        Assert.True(later.Id > removed.Id, $"the new entry took id {later.Id}, the removed entry's");
    }

    [Fact]
    public void Removing_an_entry_with_its_partial_file_leaves_the_files_of_another_download_of_its_destination()
    {
        using var dir = new TempDirectory();
        var queue = new DownloadQueue(new QueueFolder(dir.File("queue")));
        Uri url = _origin.Url($"file/{TestData.Key()}");
        string target = dir.File("shared.bin");
        QueueEntry added = queue.Add(QueueWorkerTests.Entry(url, dir.Path, "shared.bin"));
        queue.Save(added with { State = QueueEntryState.Suspended, Path = target });
        // The entry was suspended; the user then ran Start-Download of the same URL, which resumes the same part file
        // and holds the destination's lock while it writes.
        IDisposable held = Storage.TargetLock.TryAcquire(target, url, out _)!;
        Assert.NotNull(held);
        File.WriteAllText(target + Storage.PartFile.Extension, "bytes of the running download");
        File.WriteAllText(target + Resume.ResumeStateFile.Extension, "its state");

        // Stop-Download -Persisted -DeletePartial with no worker running: applied at once.
        Assert.NotNull(QueueControl.Ask(queue, added.Id, QueueRequest.RemoveAndDeletePartial, out _));

        Assert.Null(queue.Get(added.Id));
        Assert.True(File.Exists(target + Storage.PartFile.Extension), "the running download's part file was deleted under it");
        Assert.True(File.Exists(target + Resume.ResumeStateFile.Extension), "the running download's state file was deleted under it");

        // Once nobody downloads it, the partial files are the entry's own, and -DeletePartial deletes them.
        held.Dispose();
        QueueEntry again = queue.Add(QueueWorkerTests.Entry(url, dir.Path, "shared.bin"));
        queue.Save(again with { State = QueueEntryState.Suspended, Path = target });
        Assert.NotNull(QueueControl.Ask(queue, again.Id, QueueRequest.RemoveAndDeletePartial, out _));
        Assert.False(File.Exists(target + Storage.PartFile.Extension), "an idle entry's part file was kept");
        Assert.False(File.Exists(target + Resume.ResumeStateFile.Extension), "an idle entry's state file was kept");
    }

    /// <summary>
    /// Another session applying requests with no worker running, as each Suspend-, Set- or Stop-Download does, over
    /// and over until <paramref name="stop"/>; <paramref name="rounds"/>[0] counts them.
    /// </summary>
    private static Task Asker(DownloadQueue queue, CancellationToken stop, long[] rounds) => Task.Factory.StartNew(
        () =>
        {
            while (!stop.IsCancellationRequested)
            {
                QueueControl.ApplyIfNoWorker(queue);
                Interlocked.Increment(ref rounds[0]);
            }
        },
        TaskCreationOptions.LongRunning);

    private static LimitChange TakeInto(DownloadQueue queue, LimitChange applied)
    {
        foreach (var change in queue.TakeChanges())
        {
            applied = applied.Then(change.Value);
        }

        return applied;
    }
}
