using System.Net;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// What real servers do by default and a download tool must get right: stored encodings (Apache's
/// <c>AddEncoding gzip .gz</c>), credentials in the URL, redirects that change origin or drop TLS.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class HttpSemanticsTests
{
    private readonly OriginServer _origin;

    public HttpSemanticsTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_gzip_labelled_archive_is_saved_byte_exact_over_several_connections()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"labelled-gz/{key}"), dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.GzipContent);
        Assert.True(result.Connections > 1, $"ranges over the encoded bytes are safe to split; got {result.Connections} connection(s)");
    }

    [Fact]
    public async Task A_gzip_labelled_archive_is_kept_as_served_in_memory_too()
    {
        string key = TestData.Key();
        using var client = new DownloadClient(DownloadHarness.FastOptions());
        DownloadResult result = await client.Start(new DownloadRequest(_origin.Url($"labelled-gz/{key}")) { InMemory = true })
            .Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Status == DownloadStatus.Completed, result.Error);
        Assert.Equal(TestData.Sha256(_origin.GzipContent), TestData.Sha256(result.Content!));
    }

    [Fact]
    public async Task A_body_compressed_on_the_fly_is_decoded_as_a_browser_would_in_one_stream()
    {
        // Nothing in the name or the type says the content is itself compressed, so the encoding is the transport's.
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"gzip/{key}"), dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(1, result.Connections);
    }

    [Fact]
    public async Task Ranges_of_another_encoding_than_the_first_response_are_never_spliced()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"relabelled-gz/{key}"), dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.GzipContent);
    }

    [Fact]
    public async Task A_wrong_hash_on_an_encoded_file_leaves_nothing_at_the_final_name()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        DownloadResult result = await DownloadHarness.DownloadAsync(
            _origin.Url($"labelled-gz/{key}"), dir.Path, expectedHash: TestData.Sha256(_origin.Content));

        Assert.Equal(DownloadErrorKind.ChecksumMismatch, result.ErrorKind);
        Assert.False(File.Exists(dir.File(key)));
    }

    [Fact]
    public async Task Credentials_in_the_url_are_sent_as_basic_auth()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var url = new Uri($"http://{OriginServer.AuthUser}:{Uri.EscapeDataString(OriginServer.AuthPassword)}@127.0.0.1:{_origin.BaseUri.Port}/auth/{key}");

        DownloadResult result = await DownloadHarness.DownloadAsync(url, dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
    }

    [Fact]
    public async Task Without_credentials_the_server_refuses_with_401()
    {
        using var dir = new TempDirectory();
        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"auth/{TestData.Key()}"), dir.Path);

        Assert.Equal(DownloadErrorKind.HttpStatus, result.ErrorKind);
        Assert.Equal(401, result.HttpStatus);
    }

    [Fact]
    public async Task Credentials_from_the_url_are_not_sent_to_another_host_after_a_redirect()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var url = new Uri($"http://{OriginServer.AuthUser}:{Uri.EscapeDataString(OriginServer.AuthPassword)}@127.0.0.1:{_origin.BaseUri.Port}/auth-to-other-host/{key}");

        DownloadResult result = await DownloadHarness.DownloadAsync(url, dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.StartsWith("Basic ", _origin.AuthorizationSeen($"/auth-to-other-host/{key}"));
        Assert.Equal(string.Empty, _origin.AuthorizationSeen($"/file/{key}"));
    }

    [Fact]
    public async Task A_redirect_from_https_to_http_is_refused_with_a_clear_error()
    {
        await using var tls = new TlsOrigin(_origin.Content, plainOrigin: _origin.BaseUri);
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = new DownloadOptions { SkipCertificateCheck = true };

        DownloadResult result = await DownloadHarness.DownloadAsync(new Uri(tls.BaseUri, $"to-http/{key}"), dir.Path, options);

        Assert.Equal(DownloadErrorKind.InsecureRedirect, result.ErrorKind);
        Assert.Contains("https to http", result.Error);
        Assert.Equal(0, _origin.Hits($"/file/{key}"));
        Assert.Empty(dir.Files());

        DownloadResult allowed = await DownloadHarness.DownloadAsync(
            new Uri(tls.BaseUri, $"to-http/{key}"), dir.Path, new DownloadOptions { SkipCertificateCheck = true, AllowInsecureRedirect = true });
        MisbehavingServerTests.AssertCompleted(allowed, dir, key, _origin.Content);
    }
}
