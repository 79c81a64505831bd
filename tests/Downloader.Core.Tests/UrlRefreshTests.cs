using System.Collections.Concurrent;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;
using Xunit.Abstractions;

namespace Downloader.Core.Tests;

/// <summary>
/// A signed URL that expires part-way (the origin's /expiring endpoint): the refresh hook gives a new one and the
/// download continues from the bytes on disk; a bad refresh fails the item with a clear error.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class UrlRefreshTests
{
    private readonly OriginServer _origin;
    private readonly ITestOutputHelper _output;

    public UrlRefreshTests(OriginServer origin, ITestOutputHelper output)
    {
        _origin = origin;
        _output = output;
    }

    [Theory]
    [InlineData(403)]
    [InlineData(410)]
    public async Task Expired_url_is_refreshed_and_the_download_continues_from_the_bytes_on_disk(int status)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        ExpiringTokens tokens = _origin.Tokens(key);
        Uri signed = _origin.SignedUrl(status, key, "t1");
        var hook = new Hook(_ => _origin.SignedUrl(status, key, tokens.Issue()));

        DownloadResult result = await DownloadAsync(signed, dir, hook);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        RefreshRequest asked = Assert.Single(hook.Calls);
        Assert.Equal(signed, asked.OriginalUri);
        Assert.Equal(signed, asked.CurrentUri);
        Assert.Equal(status, asked.StatusCode);
        Assert.Equal(1, asked.Attempt);
        Assert.Equal(dir.File(key), asked.Path);

        // Half the file came under the first token; had the download started over, the origin would have sent that
        // half again (at least 1.5 files in all). What it sent beyond one file is what cut responses had in flight.
        long first = tokens.ServedUnder("t1");
        long total = _origin.BodyBytesSentFor($"/expiring/{status}/{key}");
        Assert.True(first >= OriginServer.FileSize / 2, $"{first} bytes under the first token");
        Assert.True(total < OriginServer.FileSize * 3 / 2, $"the origin sent {total} bytes for a {OriginServer.FileSize}-byte file:\n{_origin.RequestLog($"/expiring/{status}/{key}")}");
        _output.WriteLine($"HTTP {status}: {first} bytes under the expired token, {tokens.ServedUnder("t2")} under the new one, {total} in all for {OriginServer.FileSize}");
    }

    [Fact]
    public async Task Single_stream_starts_again_from_byte_zero_on_the_new_url()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        ExpiringTokens tokens = _origin.Tokens(key);
        var hook = new Hook(_ => _origin.SignedWholeUrl(403, key, tokens.Issue()));

        DownloadResult result = await DownloadAsync(_origin.SignedWholeUrl(403, key, "t1"), dir, hook);

        // Without ranges nothing else is safe: the new URL serves the whole file, which is then whole and exact.
        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Single(hook.Calls);
        Assert.Equal(OriginServer.FileSize, tokens.ServedUnder("t2"));
    }

    [Fact]
    public async Task Expired_url_without_a_hook_fails_as_before()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        DownloadResult result = await DownloadAsync(_origin.SignedUrl(403, key, "t1"), dir, refresher: null);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(403, result.HttpStatus);
        Assert.Contains("HTTP 403", result.Error);
        Assert.False(File.Exists(dir.File(key)));
    }

    [Fact]
    public async Task Refresh_returning_the_same_url_fails_the_item()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        Uri signed = _origin.SignedUrl(403, key, "t1");
        var hook = new Hook(r => r.CurrentUri);

        DownloadResult result = await DownloadAsync(signed, dir, hook);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains("returned the same URL", result.Error);
        Assert.Contains(key, result.Error);
        Assert.Single(hook.Calls);
        Assert.False(File.Exists(dir.File(key)));
    }

    [Fact]
    public async Task Too_many_refreshes_fail_the_item()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        ExpiringTokens tokens = _origin.Tokens(key);
        tokens.FirstBudget = 256 * 1024;
        tokens.EveryTokenExpires = 256 * 1024;
        var hook = new Hook(_ => _origin.SignedUrl(403, key, tokens.Issue()));

        DownloadResult result = await DownloadAsync(_origin.SignedUrl(403, key, "t1"), dir, hook, maxRefreshes: 2);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains("after 2 URL refreshes", result.Error);
        Assert.Equal(2, hook.Calls.Count);
        Assert.Equal(new[] { 1, 2 }, hook.Calls.Select(c => c.Attempt).Order());
        Assert.False(File.Exists(dir.File(key)));
    }

    [Fact]
    public async Task Refresh_that_throws_fails_the_item_with_its_message()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var hook = new Hook(_ => throw new InvalidOperationException("the signing service is down"));

        DownloadResult result = await DownloadAsync(_origin.SignedUrl(410, key, "t1"), dir, hook);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(410, result.HttpStatus);
        Assert.Contains("the signing service is down", result.Error);
    }

    [Fact]
    public async Task Refresh_to_a_non_http_url_fails_with_its_password_redacted()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var hook = new Hook(_ => new Uri("ftp://bob:hunter2@127.0.0.1/file?token=abc"));

        DownloadResult result = await DownloadAsync(_origin.SignedUrl(403, key, "t1"), dir, hook);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains("not an absolute http(s) URL", result.Error);
        Assert.Contains("bob:***@", result.Error);
        Assert.Contains("token=abc", result.Error);
        Assert.DoesNotContain("hunter2", result.Error);
    }

    [Fact]
    public async Task New_url_serving_a_changed_file_restarts_instead_of_splicing()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        _origin.SetVersion(key, 2);
        var hook = new Hook(_ => _origin.Url($"versioned/{key}"));

        DownloadResult result = await DownloadAsync(_origin.SignedUrl(403, key, "t1"), dir, hook);

        // If-Range carried the first version's validator, so the new URL answered with its whole (other) file, and
        // the download started over: the result is the second version, whole, never half of each.
        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.ContentV2);
        Assert.Single(hook.Calls);
    }

    private static async Task<DownloadResult> DownloadAsync(Uri uri, TempDirectory dir, IUrlRefresher? refresher, int maxRefreshes = 5)
    {
        DownloadOptions options = DownloadHarness.FastOptions() with { MaxUrlRefreshes = maxRefreshes, ReadTimeout = TimeSpan.FromSeconds(5) };
        using var client = new DownloadClient(options, refresher);
        FileDownload download = client.Start(new DownloadRequest(uri) { Directory = dir.Path });
        return await download.Completion.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>A refresh hook that records what it was asked.</summary>
    private sealed class Hook : IUrlRefresher
    {
        private readonly Func<RefreshRequest, Uri?> _answer;
        private readonly ConcurrentQueue<RefreshRequest> _calls = new();

        public Hook(Func<RefreshRequest, Uri?> answer)
        {
            _answer = answer;
        }

        public IReadOnlyCollection<RefreshRequest> Calls => _calls.ToArray();

        public Task<Uri?> RefreshAsync(RefreshRequest request, CancellationToken cancellationToken)
        {
            _calls.Enqueue(request);
            return Task.FromResult(_answer(request));
        }
    }
}
