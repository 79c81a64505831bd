using Downloader.Core.Storage;

namespace Downloader.Core.Tests.Unit;

/// <summary>Each finished file is flushed on its own, off the caller's thread, and a failure stays with its file.</summary>
public sealed class FileFlusherTests
{
    [Fact]
    public async Task Files_finishing_together_are_all_flushed_with_their_bytes()
    {
        using var dir = new TempDirectory();
        var flusher = new FileFlusher(durable: true);
        var parts = Enumerable.Range(0, 40).Select(i => PartFile.Create(dir.File($"f{i}.part"), 100, preallocate: false)).ToList();
        try
        {
            for (int i = 0; i < parts.Count; i++)
            {
                parts[i].Write(0, Enumerable.Repeat((byte)i, 100).ToArray(), 100);
            }

            await Task.WhenAll(parts.Select(p => Task.Run(() => flusher.FlushAsync(p)))).WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            parts.ForEach(p => p.Dispose());
        }

        for (int i = 0; i < parts.Count; i++)
        {
            Assert.Equal(Enumerable.Repeat((byte)i, 100), File.ReadAllBytes(dir.File($"f{i}.part")));
        }
    }

    [Fact]
    public async Task A_file_that_cannot_be_flushed_fails_its_own_task_and_not_the_others()
    {
        using var dir = new TempDirectory();
        var flusher = new FileFlusher(durable: true);
        using PartFile good = PartFile.Create(dir.File("good.part"), 10, preallocate: false);
        PartFile closed = PartFile.Create(dir.File("closed.part"), 10, preallocate: false);
        closed.Dispose();

        Task bad = flusher.FlushAsync(closed);
        Task ok = flusher.FlushAsync(good);

        await ok.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => bad.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Flushing_works_again_after_the_idle_threads_have_ended()
    {
        using var dir = new TempDirectory();
        var flusher = new FileFlusher(durable: true);
        using PartFile first = PartFile.Create(dir.File("first.part"), 10, preallocate: false);
        await flusher.FlushAsync(first).WaitAsync(TimeSpan.FromSeconds(30));

        // Longer than the idle spell after which the flush threads end.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        using PartFile second = PartFile.Create(dir.File("second.part"), 10, preallocate: false);
        second.Write(0, new byte[] { 1, 2, 3 }, 3);
        await flusher.FlushAsync(second).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(dir.File("second.part")));
    }
}
