using Downloader.Core.Storage;

namespace Downloader.Core.Tests.Unit;

public sealed class GroupFlusherTests
{
    [Fact]
    public async Task Files_finishing_together_are_all_flushed_with_their_bytes()
    {
        using var dir = new TempDirectory();
        var flusher = new GroupFlusher();
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
        var flusher = new GroupFlusher();
        using PartFile good = PartFile.Create(dir.File("good.part"), 10, preallocate: false);
        PartFile closed = PartFile.Create(dir.File("closed.part"), 10, preallocate: false);
        closed.Dispose();

        Task bad = flusher.FlushAsync(closed);
        Task ok = flusher.FlushAsync(good);

        await ok.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => bad.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
