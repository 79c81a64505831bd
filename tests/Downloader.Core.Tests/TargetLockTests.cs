using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// The destination's owner within one process (two clients, as two Start-Download jobs in one PowerShell), a lock
/// file left by a killed run, and what <see cref="FileDownload.Probed"/> says when a download ends without a
/// transfer. In the NetStandard test project these run against the engine's netstandard2.0 build.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class TargetLockTests
{
    private readonly OriginServer _origin;

    public TargetLockTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_second_client_in_this_process_finds_the_file_in_progress_and_is_not_a_failure()
    {
        using var dir = new TempDirectory();
        string name = TestData.Key() + ".bin";
        byte[] content = TestData.Bytes(4 * 1024 * 1024, 41);
        _origin.AddFile(name, content);
        Uri url = _origin.Url($"named/500000/{name}");
        using var first = new DownloadClient(DownloadHarness.FastOptions());
        using var second = new DownloadClient(DownloadHarness.FastOptions());
        FileDownload writing = first.Start(new DownloadRequest(url) { Directory = dir.Path });
        await DownloadHarness.WaitUntilAsync(() => File.Exists(dir.File(name) + ".part"));

        DownloadResult other = await second.Start(new DownloadRequest(url) { Directory = dir.Path }).Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(DownloadStatus.Skipped, other.Status);
        Assert.Equal($"in progress in another download of this process ({Environment.ProcessId})", other.Reason);
        Assert.Equal(dir.File(name), other.Path);
        DownloadResult done = await writing.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(done.Status == DownloadStatus.Completed, done.Error);
        Assert.Equal(TestData.Sha256(content), TestData.Sha256OfFile(dir.File(name)));
        Assert.Equal(new[] { name }, Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_lock_file_left_by_a_killed_run_does_not_block_the_next_one()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        // What a killed process leaves: the file, unlocked (its lock died with it), naming a process and this URL.
        File.WriteAllText(dir.File(key) + ".downloader.lock", $"999999\n{_origin.Url($"file/{key}").AbsoluteUri}\n");

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path);

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.False(File.Exists(dir.File(key) + ".downloader.lock"), "the lock file stayed beside the finished file");
    }

    [Fact]
    public async Task Probed_completes_for_a_download_that_ends_without_a_transfer_and_faults_observed_for_a_failure()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Assert.Equal(DownloadStatus.Completed, (await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path)).Status);
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, _) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            using var client = new DownloadClient(DownloadHarness.FastOptions());
            FileDownload skipped = client.Start(new DownloadRequest(_origin.Url($"file/{key}")) { Directory = dir.Path });
            ProbeInfo probe = await skipped.Probed.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(probe.EndedWithoutTransfer);
            Assert.Equal(dir.File(key), probe.Path);
            Assert.Equal(_origin.Content.Length, probe.Length);

            // Failures that nobody asks Probed about, as in a batch: none may surface as an unobserved task later.
            for (int i = 0; i < 5; i++)
            {
                DownloadResult failed = await client.Start(new DownloadRequest(_origin.Url($"status/404/{TestData.Key()}")) { Directory = dir.Path }).Completion.WaitAsync(TimeSpan.FromSeconds(30));
                Assert.Equal(DownloadStatus.Failed, failed.Status);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Assert.Equal(0, Volatile.Read(ref unobserved));
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }
    }

    [SkippableFact]
    public void A_lock_file_removed_after_its_open_is_told_apart_from_one_that_keeps_its_name()
    {
        // The race TargetLock guards against: an owner removes its lock file between another run's open and lock.
        Skip.IfNot(OperatingSystem.IsLinux(), "The check reads the descriptor's link count (Linux).");
        using var dir = new TempDirectory();
        string path = dir.File(TestData.Key() + Storage.TargetLock.Extension);
        using var named = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
        int fd = named.SafeFileHandle.DangerousGetHandle().ToInt32();
        Assert.True(Storage.TargetLock.StillNamed(fd));

        File.Delete(path);

        Assert.False(Storage.TargetLock.StillNamed(fd));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Takers_of_one_lock_at_once_never_fail_when_the_owner_lets_go(int takers)
    {
        // With .NET's own file locking on (PowerShell, this test host), an open refused by the owner's lock throws, and
        // by the time the refusal is looked at the owner may have removed the file: that is a lock let go, to be
        // taken again, not an error ("Cannot lock ...: being used by another process").
        using var dir = new TempDirectory();
        string target = dir.File("contended.bin");
        var url = new Uri("http://127.0.0.1:1/contended.bin");
        using var start = new Barrier(takers);
        var running = Enumerable.Range(0, takers).Select(taker => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                int taken = 0;
                for (int i = 0; i < 3000; i++)
                {
                    using IDisposable? held = Storage.TargetLock.TryAcquire(target, url, out _);
                    taken += held == null ? 0 : 1;
                }

                return taken;
            },
            TaskCreationOptions.LongRunning));

        int[] taken = await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.All(taken, t => Assert.True(t > 0));
    }
}
