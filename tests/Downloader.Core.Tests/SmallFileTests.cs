using System.Collections.Concurrent;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// The small files a long list is made of: the final name appears only by the rename of a complete part file, and a
/// file fetched in one response never gets a resume state file. A watcher on the folder sees every name the
/// download creates, so a write under the final name, or a state file, cannot go unnoticed.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SmallFileTests
{
    private readonly OriginServer _origin;

    public SmallFileTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_small_files_final_name_never_appears_before_its_bytes_are_complete()
    {
        using var dir = new TempDirectory();
        using var watch = new FolderWatch(dir.Path);
        string key = TestData.Key();
        string part = dir.File(key + ".part");
        using var client = new DownloadClient(DownloadHarness.FastOptions() with { ReadTimeout = TimeSpan.FromSeconds(30) });

        FileDownload download = client.Start(new DownloadRequest(_origin.Url($"small-held/{key}")) { Directory = dir.Path });
        try
        {
            // Half the body is on disk, the rest held back by the origin: only the part file may exist.
            await DownloadHarness.WaitUntilAsync(() => File.Exists(part) && new FileInfo(part).Length >= OriginServer.SmallFileSize / 2);
            for (int i = 0; i < 20; i++)
            {
                Assert.False(File.Exists(dir.File(key)), "the final name exists while half the bytes are still at the origin");
                await Task.Delay(25);
            }
        }
        finally
        {
            _origin.ReleaseHeld(key);
        }

        DownloadResult result = await download.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(_origin.SmallContent, File.ReadAllBytes(dir.File(key)));
        Assert.Equal(new[] { key }, dir.Files());
        FolderWatch.Event[] events = await watch.SettledAsync();
        FolderWatch.AssertFinalNamesCameOnlyByRename(events);
        Assert.Contains(events, e => e.Name == key);
        Assert.DoesNotContain(events, e => e.Name.EndsWith(".downloader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_list_of_small_files_writes_no_state_file_and_leaves_only_complete_files()
    {
        using var dir = new TempDirectory();
        using var watch = new FolderWatch(dir.Path);
        string key = TestData.Key();
        string list = string.Join("\n", Enumerable.Range(0, 200).Select(i => _origin.Url($"small/{key}-{i}").AbsoluteUri));
        using var client = new DownloadClient(DownloadHarness.FastOptions() with { TotalConnections = 8 });
        var results = new List<DownloadResult>();

        using var reader = new StringReader(list);
        await foreach (DownloadResult result in new BatchRunner(client).RunAsync(UrlListReader.ReadAsync(reader, dir.Path)))
        {
            results.Add(result);
        }

        Assert.All(results, r => Assert.True(r.Status == DownloadStatus.Completed, r.Error));
        Assert.Equal(200, dir.Files().Length);
        Assert.All(dir.Files(), name => Assert.Equal(_origin.SmallContent, File.ReadAllBytes(dir.File(name))));
        FolderWatch.Event[] events = await watch.SettledAsync();
        Assert.DoesNotContain(events, e => e.Name.EndsWith(".downloader", StringComparison.Ordinal) || e.Name.EndsWith(".tmp", StringComparison.Ordinal));
        FolderWatch.AssertFinalNamesCameOnlyByRename(events);
    }

    /// <summary>Every name event in one folder (inotify on Linux), kept in order.</summary>
    private sealed class FolderWatch : IDisposable
    {
        private readonly FileSystemWatcher _watcher;
        private readonly ConcurrentQueue<Event> _events = new();

        public FolderWatch(string path)
        {
            _watcher = new FileSystemWatcher(path)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            _watcher.Created += (_, e) => _events.Enqueue(new Event(e.ChangeType, e.Name ?? string.Empty, null));
            _watcher.Changed += (_, e) => _events.Enqueue(new Event(e.ChangeType, e.Name ?? string.Empty, null));
            _watcher.Deleted += (_, e) => _events.Enqueue(new Event(e.ChangeType, e.Name ?? string.Empty, null));
            _watcher.Renamed += (_, e) => _events.Enqueue(new Event(e.ChangeType, e.Name ?? string.Empty, e.OldName));
            _watcher.Error += (_, e) => _events.Enqueue(new Event(0, "watcher error: " + e.GetException().Message, null));
            _watcher.EnableRaisingEvents = true;
        }

        public async Task<Event[]> SettledAsync()
        {
            // Events arrive shortly after the calls that caused them.
            await Task.Delay(300);
            Event[] events = _events.ToArray();
            Assert.DoesNotContain(events, e => e.Kind == 0);
            return events;
        }

        /// <summary>
        /// A name without ".part" appears only by a rename of its part file, and is never written. The watcher reports
        /// a rename as Renamed when it sees both halves of the move together, else as Deleted (the part) followed by
        /// Created (the final name); a file written under its final name would show Changed events for it.
        /// </summary>
        public static void AssertFinalNamesCameOnlyByRename(Event[] events)
        {
            for (int i = 0; i < events.Length; i++)
            {
                Event e = events[i];
                // The part file and the lock beside it are the download's own, written in place by design.
                if (e.Name.EndsWith(".part", StringComparison.Ordinal) || e.Name.EndsWith(".downloader.lock", StringComparison.Ordinal))
                {
                    continue;
                }

                Assert.NotEqual(WatcherChangeTypes.Changed, e.Kind);
                if (e.Kind == WatcherChangeTypes.Renamed)
                {
                    Assert.Equal(e.Name + ".part", e.OldName);
                }
                else if (e.Kind == WatcherChangeTypes.Created)
                {
                    Assert.True(
                        events.Take(i).Any(d => d.Kind == WatcherChangeTypes.Deleted && d.Name == e.Name + ".part"),
                        $"'{e.Name}' was created without its part file going away first");
                }
            }
        }

        public void Dispose() => _watcher.Dispose();

        public sealed record Event(WatcherChangeTypes Kind, string Name, string? OldName);
    }
}
