using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// One file from several sources: the shared origin is the URL, a second Kestrel origin (another port) the mirror.
/// Both serve the same bytes; the mirror's endpoints misbehave on purpose.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class MirrorTests : IAsyncLifetime
{
    private const long Rate = 1_000_000;
    private readonly OriginServer _origin;
    private OriginServer _mirror = null!;

    public MirrorTests(OriginServer origin)
    {
        _origin = origin;
    }

    public Task InitializeAsync()
    {
        _mirror = new OriginServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _mirror.DisposeAsync();

    [Fact]
    public async Task Two_sources_both_carry_connections_and_their_bytes_add_up_to_the_file()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, _mirror.Url($"slow/{Rate}/{key}"));

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(2, result.Sources.Count);
        Assert.Equal(_origin.Url($"slow/{Rate}/{key}"), result.Sources[0].Url);
        Assert.Equal(_mirror.Url($"slow/{Rate}/{key}"), result.Sources[1].Url);
        Assert.All(result.Sources, s => Assert.True(s.Bytes > 0 && s.Dropped == null, $"{s.Url}: {s.Bytes} bytes, dropped: {s.Dropped}"));
        Assert.Equal(OriginServer.FileSize, result.Sources.Sum(s => s.Bytes));

        // The servers' own counts: each sent at least what it is credited with.
        Assert.True(_mirror.BodyBytesSentFor($"/slow/{Rate}/{key}") >= result.Sources[1].Bytes);
        Assert.True(_origin.BodyBytesSentFor($"/slow/{Rate}/{key}") >= result.Sources[0].Bytes);
    }

    [Fact]
    public async Task Each_sources_host_keeps_its_own_per_host_connection_limit()
    {
        await using var primary = new OriginServer();
        using var dir = new TempDirectory();
        string key = TestData.Key();

        // The mirror by another name of the loopback host: a second host for the budget.
        Uri mirror = new UriBuilder(_mirror.Url($"slow/{Rate}/{key}")) { Host = "localhost" }.Uri;
        var options = DownloadHarness.FastOptions(connections: 6) with { TotalConnections = 16, MaxConnectionsPerHost = 2 };
        DownloadResult result = await DownloadAsync(primary.Url($"slow/{Rate}/{key}"), dir, options, mirror);

        MisbehavingServerTests.AssertCompleted(result, dir, key, primary.Content);
        Assert.InRange(primary.PeakConcurrentRequests, 1, 2);
        Assert.InRange(_mirror.PeakConcurrentRequests, 1, 2);
        Assert.True(result.Connections > 2, $"{result.Connections} connections: the mirror's host should add its own");
        Assert.All(result.Sources, s => Assert.True(s.Bytes > 0, $"{s.Url}: {s.Bytes} bytes"));
    }

    [Fact]
    public async Task A_mirror_with_its_own_etag_and_date_serves_its_share()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, _mirror.Url($"own-validators/{key}"));

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.All(result.Sources, s => Assert.True(s.Bytes > 0 && s.Dropped == null, $"{s.Url}: {s.Bytes} bytes, dropped: {s.Dropped}"));
        Assert.Equal("\"v1\"", result.ETag);
    }

    [Fact]
    public async Task The_credential_goes_to_the_urls_origin_only_and_a_mirror_uses_its_own_user_info()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri plain = _mirror.Url($"slow/{Rate}/{key}");
        Uri withUser = new UriBuilder(_mirror.Url($"file/{key}")) { UserName = "bob", Password = "mirror-pw" }.Uri;
        var options = DownloadHarness.FastOptions(connections: 6) with { Credential = new System.Net.NetworkCredential("alice", "primary-pw") };
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, options, plain, withUser);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.All(result.Sources, s => Assert.True(s.Bytes > 0, $"{s.Url}: {s.Bytes} bytes"));
        Assert.StartsWith("Basic ", _origin.AuthorizationSeen($"/slow/{Rate}/{key}"));
        Assert.Equal(string.Empty, _mirror.AuthorizationSeen($"/slow/{Rate}/{key}"));
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("bob:mirror-pw")), _mirror.AuthorizationSeen($"/file/{key}"));
        Assert.Equal(new Uri(withUser.AbsoluteUri.Replace("mirror-pw", "***")), result.Sources[2].Url);
    }

    [Fact]
    public async Task A_mirror_that_dies_midway_is_dropped_and_the_other_source_finishes_the_file()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri mirror = _mirror.Url($"dies/400000/{Rate}/{key}");
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, mirror);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        SourceBytes dead = result.Sources[1];
        Assert.Equal(mirror, dead.Url);
        Assert.NotNull(dead.Dropped);
        // Each connection's request may run to the limit before the host goes away, so the mirror gives a part of the file.
        Assert.InRange(dead.Bytes, 1, _mirror.BodyBytesSentFor(mirror.AbsolutePath));
        Assert.True(dead.Bytes < OriginServer.FileSize / 2, $"{dead.Bytes} bytes from the dead mirror");
        Assert.Null(result.Sources[0].Dropped);
        Assert.Equal(OriginServer.FileSize, result.Sources.Sum(s => s.Bytes));
    }

    [Fact]
    public async Task A_mirror_with_another_size_is_dropped_and_gives_no_byte()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, _mirror.Url($"shorter/{key}"));

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        SourceBytes shorter = result.Sources[1];
        Assert.Equal(0, shorter.Bytes);
        Assert.Contains($"/{OriginServer.FileSize - OriginServer.ShorterBy}", shorter.Dropped);
        Assert.Equal(OriginServer.FileSize, result.Sources[0].Bytes);
    }

    [Fact]
    public async Task A_mirror_much_slower_per_connection_is_dropped_and_its_ranges_go_to_the_fast_source()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        // Ten times slower per connection, yet never silent: small reads commit every 0.4 s, so only the speed rule
        // can drop it (the silence rule needs 2 s without a byte).
        Uri slow = _mirror.Url($"slow/40000/{key}");
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/400000/{key}"), dir, DownloadHarness.FastOptions() with { BufferSize = 16 * 1024 }, slow);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        SourceBytes dropped = result.Sources[1];
        Assert.Contains("per connection", dropped.Dropped);
        Assert.True(dropped.Bytes < OriginServer.FileSize / 10, $"{dropped.Bytes} bytes from the slow mirror");
        Assert.Equal(OriginServer.FileSize, result.Sources.Sum(s => s.Bytes));
    }

    [Fact]
    public async Task A_mirror_that_keeps_going_silent_is_dropped_as_much_slower()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, _mirror.Url($"hangs/{key}"));

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Contains("per connection", result.Sources[1].Dropped);
        Assert.Equal(OriginServer.FileSize, result.Sources.Sum(s => s.Bytes));
    }

    [Fact]
    public async Task When_every_source_fails_the_error_names_them_all_without_passwords()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri primary = _origin.Url($"dies/300000/{Rate}/{key}");
        var mirror = new UriBuilder(_mirror.Url($"status/500/{key}")) { UserName = "bob", Password = "hunter2" }.Uri;
        DownloadResult result = await DownloadAsync(primary, dir, mirror);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains("every source failed", result.Error);
        Assert.Contains(primary.AbsoluteUri, result.Error);
        Assert.Contains(_mirror.Url($"status/500/{key}").AbsoluteUri.Replace("http://", "http://bob:***@"), result.Error);
        Assert.DoesNotContain("hunter2", result.Error);
        Assert.DoesNotContain(key, dir.Files());
    }

    [Fact]
    public async Task A_resumed_download_uses_the_mirrors_again_and_fetches_only_what_was_missing()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri url = _origin.Url($"slow/{Rate}/{key}");
        Uri mirror = _mirror.Url($"slow/{Rate}/{key}");
        DownloadResult stopped;
        using (var client = new DownloadClient(DownloadHarness.FastOptions()))
        {
            FileDownload first = client.Start(new DownloadRequest(url) { Directory = dir.Path, Mirrors = new[] { mirror } });
            await DownloadHarness.WaitUntilAsync(() => first.GetProgress().BytesReceived > 600_000 && File.Exists(dir.File(key + ".downloader")));
            first.Cancel();
            stopped = await first.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(DownloadStatus.Cancelled, stopped.Status);
        DownloadResult result = await DownloadAsync(url, dir, mirror);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Resumed);
        Assert.All(result.Sources, s => Assert.True(s.Bytes > 0 && s.Dropped == null, $"{s.Url}: {s.Bytes} bytes, dropped: {s.Dropped}"));
        Assert.Equal(OriginServer.FileSize - stopped.Bytes, result.Sources.Sum(s => s.Bytes));
    }

    [Fact]
    public async Task A_mirror_that_refuses_is_dropped_and_never_refreshed_even_with_a_refresh_hook()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var hook = new CountingRefresher();
        Uri mirror = _mirror.Url($"status/403/{key}");

        // Bounded: before the primary-only rule, the refusing mirror was retried without end.
        DownloadResult result = await DownloadAsync(_origin.Url($"slow/{Rate}/{key}"), dir, DownloadHarness.FastOptions(), hook, mirror);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(0, hook.Calls);
        Assert.NotNull(result.Sources[1].Dropped);
        Assert.Equal(OriginServer.FileSize, result.Sources[0].Bytes);
    }

    private sealed class CountingRefresher : IUrlRefresher
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult<Uri?>(request.CurrentUri);
        }
    }

    private static Task<DownloadResult> DownloadAsync(Uri uri, TempDirectory dir, params Uri[] mirrors) =>
        DownloadAsync(uri, dir, DownloadHarness.FastOptions(), mirrors);

    private static Task<DownloadResult> DownloadAsync(Uri uri, TempDirectory dir, DownloadOptions options, params Uri[] mirrors) =>
        DownloadAsync(uri, dir, options, null, mirrors);

    private static async Task<DownloadResult> DownloadAsync(Uri uri, TempDirectory dir, DownloadOptions options, IUrlRefresher? refresher, params Uri[] mirrors)
    {
        using var client = new DownloadClient(options, refresher);
        FileDownload download = client.Start(new DownloadRequest(uri) { Directory = dir.Path, Mirrors = mirrors });
        return await download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
