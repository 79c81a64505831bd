using System.Runtime.CompilerServices;
using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>Many items through one budget: per-item results, collisions, filters, in-memory, streaming input.</summary>
[Collection(OriginCollection.Name)]
public sealed class BatchTests
{
    private readonly OriginServer _origin;

    public BatchTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Mixed_list_lands_every_good_item_and_reports_every_bad_one_once()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        string[] good = Enumerable.Range(0, 6).Select(i => _origin.Url($"file/{k}-{i}").AbsoluteUri).ToArray();
        string list = string.Join("\n", new[]
        {
            "# a comment, then a blank line",
            string.Empty,
            good[0], good[1], good[2],
            _origin.Url($"status/404/{k}").AbsoluteUri,
            _origin.Url($"reset/{k}").AbsoluteUri,
            _origin.Url($"dup/a/{k}.bin").AbsoluteUri,
            _origin.Url($"dup/b/{k}.bin").AbsoluteUri,
            _origin.Url($"traversal/{k}").AbsoluteUri,
            "ftp://127.0.0.1/file.bin",
            "file:///etc/passwd",
            "http://[not a url",
            good[3] + "\tnamed.bin",
            good[4] + "\t\t" + TestData.Sha256(_origin.Content),
            good[5] + "\t\t" + new string('0', 64),
        });

        List<DownloadResult> results = await RunListAsync(list, dir.Path);

        Assert.Equal(14, results.Count);
        Assert.Equal(results.Count, results.Select(r => r.Input).Distinct().Count());
        foreach (string name in new[] { $"{k}-0", $"{k}-1", $"{k}-2", "named.bin", $"{k}-4", "escaped.bin" })
        {
            Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(name)));
        }

        // Two URLs, one name: both land, neither overwrites the other.
        string[] dups = { dir.File($"{k}.bin"), dir.File($"{k} (1).bin") };
        Assert.Equal(
            new[] { TestData.Sha256(_origin.Content), TestData.Sha256(_origin.ContentV2) }.Order(),
            dups.Select(TestData.Sha256OfFile).Order());

        AssertFailed(results, $"status/404/{k}", DownloadErrorKind.HttpStatus, "404");
        AssertFailed(results, $"reset/{k}", DownloadErrorKind.Network, "reset");
        AssertFailed(results, "ftp://", DownloadErrorKind.InvalidRequest, "unsupported scheme 'ftp'");
        AssertFailed(results, "file://", DownloadErrorKind.InvalidRequest, "unsupported scheme 'file'");
        AssertFailed(results, "[not a url", DownloadErrorKind.InvalidRequest, "not a valid absolute URL");
        AssertFailed(results, good[5], DownloadErrorKind.ChecksumMismatch, "SHA-256");
        Assert.Equal(8, results.Count(r => r.Status == DownloadStatus.Completed));
        Assert.DoesNotContain(dir.Files(), f => f.EndsWith(".part", StringComparison.Ordinal) || f.EndsWith(".downloader", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_connection_budget_is_never_exceeded()
    {
        await using var origin = new OriginServer();
        using var dir = new TempDirectory();
        var options = new DownloadOptions
        {
            TotalConnections = 3,
            MaxConnectionsPerFile = 4,
            MinSplitSize = 128 * 1024,
        };
        string list = string.Join("\n", Enumerable.Range(0, 12).Select(i => origin.Url($"slow/3000000/{i}").AbsoluteUri));

        List<DownloadResult> results = await RunListAsync(list, dir.Path, options);

        Assert.All(results, r => Assert.Equal(DownloadStatus.Completed, r.Status));
        Assert.InRange(origin.PeakConcurrentRequests, 1, 3);
        Assert.InRange(origin.PeakConnections, 1, 3);

        // Keep-alive across files: twelve files, and far fewer than twelve connections were ever opened.
        Assert.True(origin.ConnectionsOpened <= 6, $"{origin.ConnectionsOpened} connections opened");
    }

    [Fact]
    public async Task A_big_file_gets_more_connections_when_the_budget_has_room()
    {
        using var dir = new TempDirectory();
        var options = new DownloadOptions { TotalConnections = 6, MaxConnectionsPerFile = 4, MinSplitSize = 128 * 1024 };

        List<DownloadResult> results = await RunListAsync(_origin.Url($"slow/2000000/{TestData.Key()}").AbsoluteUri, dir.Path, options);

        Assert.Equal(4, Assert.Single(results).Connections);
    }

    [Fact]
    public async Task Second_run_of_a_list_skips_every_unchanged_file_through_304()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        string list = string.Join("\n", Enumerable.Range(0, 5).Select(i => _origin.Url($"file/{k}-{i}").AbsoluteUri));
        Assert.All(await RunListAsync(list, dir.Path), r => Assert.Equal(DownloadStatus.Completed, r.Status));
        int before = _origin.NotModifiedCount;

        List<DownloadResult> again = await RunListAsync(list, dir.Path);

        Assert.All(again, r => Assert.Equal(DownloadStatus.Skipped, r.Status));
        Assert.Equal(before + 5, _origin.NotModifiedCount);
        Assert.Equal(5, dir.Files().Length);
    }

    [Fact]
    public async Task A_list_whose_urls_share_one_name_probes_each_url_once_and_keeps_every_file()
    {
        // "export?page=N": every item is named after the path. The first file to land must not look like a local
        // copy of the next URLs (a conditional probe, a 304, then a second probe for each).
        using var dir = new TempDirectory();
        string k = TestData.Key();
        const int count = 40;
        string list = string.Join("\n", Enumerable.Range(0, count).Select(i => _origin.Url($"norange/{k}?page={i}").AbsoluteUri));
        int notModified = _origin.NotModifiedCount;

        List<DownloadResult> results = await RunListAsync(list, dir.Path, new DownloadOptions { TotalConnections = 4 });

        Assert.All(results, r => Assert.Equal(DownloadStatus.Completed, r.Status));
        Assert.Equal(count, results.Select(r => r.Path).Distinct().Count());
        Assert.Equal(count, dir.Files().Length);
        Assert.Equal(notModified, _origin.NotModifiedCount);
        Assert.Equal(count, _origin.Hits($"norange/{k}"));
    }

    [Fact]
    public async Task Rejected_content_type_fails_the_item_and_leaves_no_file()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        var options = new DownloadOptions { AcceptContentTypes = new[] { "image/*" } };
        string list = _origin.Url($"file/{k}").AbsoluteUri + "\n" + _origin.Url($"image/{k}").AbsoluteUri;

        List<DownloadResult> results = await RunListAsync(list, dir.Path, options);

        AssertFailed(results, $"file/{k}", DownloadErrorKind.ContentTypeRejected, "application/octet-stream");
        Assert.Equal(new[] { k }, dir.Files());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(k)));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("norange")]
    public async Task In_memory_results_hold_the_bytes_and_the_headers(string endpoint)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        using var client = new DownloadClient(new DownloadOptions { MinSplitSize = 256 * 1024 });

        DownloadResult result = await client.Start(new DownloadRequest(_origin.Url($"{endpoint}/{key}")) { InMemory = true, Directory = dir.Path }).Completion;

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(_origin.Content, result.Content);
        Assert.Null(result.Path);
        Assert.Equal(key, result.FileName);
        Assert.Equal(TestData.Sha256(_origin.Content), result.Sha256);
        Assert.Equal("application/octet-stream", result.ContentType);
        Assert.Equal("\"v1\"", result.Headers["ETag"]);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task In_memory_a_file_changing_midway_restarts_like_a_file_on_disk()
    {
        using var client = new DownloadClient(DownloadHarness.FastOptions());

        DownloadResult result = await client.Start(new DownloadRequest(_origin.Url($"changing/{TestData.Key()}")) { InMemory = true }).Completion;

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(_origin.ContentV2, result.Content);
        Assert.Equal("\"v2\"", result.ETag);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("nolength")]
    public async Task In_memory_download_over_the_limit_fails_clearly(string endpoint)
    {
        using var client = new DownloadClient(new DownloadOptions { MaxInMemorySize = 1024 * 1024 });

        DownloadResult result = await client.Start(new DownloadRequest(_origin.Url($"{endpoint}/{TestData.Key()}")) { InMemory = true }).Completion;

        Assert.Equal(DownloadErrorKind.TooLarge, result.ErrorKind);
        Assert.Contains("in-memory limit", result.Error);
        Assert.Null(result.Content);
    }

    [Fact]
    public async Task Downloads_start_while_a_slow_producer_is_still_writing_the_list()
    {
        using var dir = new TempDirectory();
        using var client = new DownloadClient(new DownloadOptions { TotalConnections = 4 });
        var runner = new BatchRunner(client);
        var firstResult = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string k = TestData.Key();

        async IAsyncEnumerable<BatchItem> SlowProducer([EnumeratorCancellation] CancellationToken ct = default)
        {
            yield return UrlListReader.Parse(_origin.Url($"file/{k}-0").AbsoluteUri, 1, dir.Path);

            // The list goes on only after the first item has finished: a batch that waited for the end of its
            // input would wait here until the timeout and fail the test.
            await firstResult.Task.WaitAsync(TimeSpan.FromSeconds(20), ct);
            yield return UrlListReader.Parse(_origin.Url($"file/{k}-1").AbsoluteUri, 2, dir.Path);
        }

        var results = new List<DownloadResult>();
        await foreach (DownloadResult r in runner.RunAsync(SlowProducer()))
        {
            results.Add(r);
            firstResult.TrySetResult();
        }

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DownloadStatus.Completed, r.Status));
    }

    [Theory]
    [InlineData("http://h/a\tname.bin\t" + "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "name.bin", true)]
    [InlineData("http://h/a\t\t", null, true)]
    [InlineData("http://h/a\t\tnot-a-hash", null, false)]
    [InlineData("mailto:someone@example.com", null, false)]
    public void List_lines_are_parsed(string line, string? name, bool valid)
    {
        BatchItem item = UrlListReader.Parse(line, 7, "/tmp");

        Assert.Equal(valid, item.Request != null);
        if (valid)
        {
            Assert.Equal(name, item.Request!.FileName);
        }
        else
        {
            Assert.StartsWith("line 7 ", item.Error);
        }
    }

    private static async Task<List<DownloadResult>> RunListAsync(string list, string directory, DownloadOptions? options = null)
    {
        options ??= new DownloadOptions { TotalConnections = 8 };
        var fast = new DownloadOptions
        {
            TotalConnections = options.TotalConnections == 0 ? 8 : options.TotalConnections,
            MaxConnectionsPerFile = options.MaxConnectionsPerFile,
            MinSplitSize = options.MinSplitSize,
            AcceptContentTypes = options.AcceptContentTypes,
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        };
        using var client = new DownloadClient(fast);
        var runner = new BatchRunner(client);
        var results = new List<DownloadResult>();
        using var reader = new StringReader(list);
        await foreach (DownloadResult result in runner.RunAsync(UrlListReader.ReadAsync(reader, directory)))
        {
            results.Add(result);
        }

        return results;
    }

    private static void AssertFailed(List<DownloadResult> results, string inputPart, DownloadErrorKind kind, string messagePart)
    {
        DownloadResult failed = Assert.Single(results, r => r.Input.Contains(inputPart, StringComparison.Ordinal));
        Assert.Equal(DownloadStatus.Failed, failed.Status);
        Assert.Equal(kind, failed.ErrorKind);
        Assert.Contains(messagePart, failed.Error, StringComparison.OrdinalIgnoreCase);
    }
}
