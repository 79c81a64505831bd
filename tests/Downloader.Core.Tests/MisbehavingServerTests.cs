using System.Net;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>Every misbehaving endpoint ends with the right bytes, or with a clear error and no file under the final name.</summary>
[Collection(OriginCollection.Name)]
public sealed class MisbehavingServerTests
{
    private readonly OriginServer _origin;

    public MisbehavingServerTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Good_server_is_fetched_over_several_connections()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Connections > 1, $"expected several connections, got {result.Connections}");
        Assert.Equal(new[] { key }, dir.Files());
    }

    [Fact]
    public async Task Body_cut_midway_is_resumed_from_the_break()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"cut/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Retries > 0);

        // Each cut response carries 200,000 bytes, so restarting a range from its start would never finish; resuming
        // from the break needs about one request per 200,000 bytes and connection, plus one for each split: measured
        // 24 to 45 with four connections, depending on how unevenly they finish and split.
        Assert.True(_origin.Hits($"/cut/{key}") <= (3 * OriginServer.FileSize / 200_000) + 8, $"{_origin.Hits($"/cut/{key}")} requests");
    }

    [Theory]
    [InlineData("503", 1)]
    [InlineData("429", 0)]
    public async Task Overloaded_server_is_retried_after_the_wait_it_asks_for(string status, int retryAfterSeconds)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"{status}/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Retries >= 2);

        // Two refusals; our own backoff is 20 ms here, so only honouring Retry-After makes the download this slow.
        Assert.True(result.EndTime - result.StartTime >= TimeSpan.FromSeconds(2 * retryAfterSeconds * 0.95), $"{(result.EndTime - result.StartTime).TotalSeconds} s");
    }

    [Fact]
    public async Task Server_ignoring_Range_is_fetched_as_one_stream()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"norange/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(1, result.Connections);
    }

    [Fact]
    public async Task Wrong_Content_Range_falls_back_to_one_correct_stream()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"badrange/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
    }

    [Fact]
    public async Task File_changing_midway_restarts_and_never_splices_versions()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"changing/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.ContentV2);
        Assert.Equal("\"v2\"", result.ETag);
    }

    [Fact]
    public async Task Missing_Content_Length_is_fetched_as_one_stream()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"nolength/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
    }

    [Fact]
    public async Task Stalled_connection_is_dropped_and_retried()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"stall/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Retries >= 1);
    }

    [Fact]
    public async Task Redirect_chain_of_relative_and_absolute_locations_is_followed()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"redirect/4/{key}"), dir.Path);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(_origin.Url($"file/{key}"), result.FinalUrl);
    }

    [Fact]
    public async Task Redirect_loop_beyond_the_limit_fails_clearly()
    {
        using var dir = new TempDirectory();
        var options = DownloadHarness.FastOptions();
        options = new DownloadOptions { MaxRedirects = 2, MaxRetries = options.MaxRetries, RetryBaseDelay = options.RetryBaseDelay };
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"redirect/5/{TestData.Key()}"), dir.Path, options);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Contains("redirects", result.Error);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Content_Disposition_with_dot_dot_stays_inside_the_folder()
    {
        using var dir = new TempDirectory();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"traversal/{TestData.Key()}"), dir.Path);

        AssertCompleted(result, dir, "escaped.bin", _origin.Content);
        Assert.False(File.Exists(Path.Combine(dir.Path, "..", "escaped.bin")));
        Assert.False(File.Exists(Path.Combine(dir.Path, "..", "..", "escaped.bin")));
    }

    [Fact]
    public async Task Utf8_filename_star_is_used()
    {
        using var dir = new TempDirectory();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"utf8name/{TestData.Key()}"), dir.Path);

        AssertCompleted(result, dir, "naïve €.bin", _origin.Content);
    }

    [Fact]
    public async Task Content_Length_larger_than_the_body_fails_without_a_file()
    {
        using var dir = new TempDirectory();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"longer/{TestData.Key()}"), dir.Path);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(DownloadErrorKind.Network, result.ErrorKind);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Status_404_fails_fast_naming_the_url()
    {
        using var dir = new TempDirectory();
        Uri url = _origin.Url($"status/404/{TestData.Key()}");
        DownloadResult result = await DownloadHarness.DownloadAsync(url, dir.Path);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(404, result.HttpStatus);
        Assert.Equal(0, result.Retries);
        Assert.Contains(url.AbsoluteUri, result.Error);
        Assert.Contains("404", result.Error);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Status_500_is_retried_then_fails_without_a_file()
    {
        using var dir = new TempDirectory();
        Uri url = _origin.Url($"status/500/{TestData.Key()}");
        DownloadResult result = await DownloadHarness.DownloadAsync(url, dir.Path);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(500, result.HttpStatus);
        Assert.Equal(DownloadHarness.FastOptions().MaxRetries, result.Retries);
        Assert.Contains("500", result.Error);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Empty_file_is_created_empty()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"empty/{key}"), dir.Path);

        AssertCompleted(result, dir, key, Array.Empty<byte>());
    }

    [Fact]
    public async Task Credentials_are_not_sent_to_another_host_after_a_redirect()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = new DownloadOptions
        {
            Credential = new NetworkCredential("user", "secret"),
            Headers = new Dictionary<string, string> { ["Cookie"] = "session=1" },
            RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        };
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"to-other-host/{key}"), dir.Path, options);

        AssertCompleted(result, dir, key, _origin.Content);
        Assert.StartsWith("Basic ", _origin.AuthorizationSeen($"/to-other-host/{key}"));
        Assert.Equal(string.Empty, _origin.AuthorizationSeen($"/file/{key}"));
    }

    [Fact]
    public async Task Unreachable_host_fails_with_a_network_error()
    {
        using var dir = new TempDirectory();
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var options = new DownloadOptions { MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10) };
        DownloadResult result = await DownloadHarness.DownloadAsync(new Uri($"http://127.0.0.1:{port}/x"), dir.Path, options);

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(DownloadErrorKind.Network, result.ErrorKind);
        Assert.Equal(2, result.Retries);
        Assert.Contains("ConnectionRefused", result.Error);
    }

    [Fact]
    public async Task Unsupported_scheme_is_rejected()
    {
        using var dir = new TempDirectory();
        DownloadResult result = await DownloadHarness.DownloadAsync(new Uri("ftp://127.0.0.1/file"), dir.Path);

        Assert.Equal(DownloadErrorKind.InvalidRequest, result.ErrorKind);
        Assert.Contains("ftp", result.Error);
    }

    internal static void AssertCompleted(DownloadResult result, TempDirectory dir, string name, byte[] expected)
    {
        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        string path = dir.File(name);
        Assert.Equal(path, result.Path);
        Assert.Equal(TestData.Sha256(expected), TestData.Sha256OfFile(path));
        Assert.Equal(expected.Length, result.Bytes);
        Assert.False(File.Exists(path + ".part"), "part file left behind");
        Assert.False(File.Exists(path + ".downloader"), "state file left behind");
    }
}
