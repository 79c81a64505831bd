using System.Text.Json;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>The CLI's contract with scripts: exit codes, one JSON object per file, one clear line on failure.</summary>
[Collection(OriginCollection.Name)]
public sealed class CliTests
{
    private readonly OriginServer _origin;

    public CliTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Completed_download_exits_zero_and_prints_json()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string sha = TestData.Sha256(_origin.Content);
        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{key}").AbsoluteUri, "-x", "4", "--json", "--sha256", sha);

        Assert.True(exit == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        JsonElement r = json.RootElement;
        Assert.Equal("completed", r.GetProperty("status").GetString());
        Assert.Equal(dir.File(key), r.GetProperty("path").GetString());
        Assert.Equal(OriginServer.FileSize, r.GetProperty("bytes").GetInt64());
        Assert.Equal(sha, r.GetProperty("sha256").GetString());
        Assert.Equal("\"v1\"", r.GetProperty("etag").GetString());
        Assert.Equal("application/octet-stream", r.GetProperty("contentType").GetString());
        foreach (string field in new[] { "url", "finalUrl", "lastModified", "seconds", "connections", "retries", "error" })
        {
            Assert.True(r.TryGetProperty(field, out _), field);
        }

        Assert.Equal(sha, TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public async Task Timeout_means_what_TimeoutSec_means_a_server_that_never_answers_is_given_up_on_after_it()
    {
        using var dir = new TempDirectory();
        string url = _origin.Url($"hang/{TestData.Key()}").AbsoluteUri;

        // The origin takes the request and never sends headers: the response wait, not only the read wait, is --timeout.
        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, url, "--timeout", "2", "--retries", "0");

        Assert.Equal(1, exit);
        Assert.Contains("no response within 2 s", stderr);
    }

    [Fact]
    public async Task A_timeout_of_zero_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, "--timeout", "0");

        Assert.NotEqual(0, exit);
        Assert.Contains("--timeout must be more than 0", stderr);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Output_file_option_names_the_file()
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, "-o", "named.bin", "-q");

        Assert.True(exit == 0, stderr);
        Assert.Equal(new[] { "named.bin" }, dir.Files());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("named.bin")));
    }

    [Fact]
    public async Task Http_404_exits_non_zero_with_one_line_on_stderr()
    {
        using var dir = new TempDirectory();
        string url = _origin.Url($"status/404/{TestData.Key()}").AbsoluteUri;
        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, url);

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(url, line);
        Assert.Contains("404", line);
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task Failure_with_json_prints_the_error_object()
    {
        using var dir = new TempDirectory();
        var (exit, stdout, _) = await CliRunner.RunAsync(dir.Path, _origin.Url($"status/404/{TestData.Key()}").AbsoluteUri, "--json");

        Assert.Equal(1, exit);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("failed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(404, json.RootElement.GetProperty("httpStatus").GetInt32());
    }

    [Fact]
    public async Task Existing_file_is_never_overwritten_without_force()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        File.WriteAllText(dir.File(key), "mine");
        string url = _origin.Url($"file/{key}").AbsoluteUri;

        var renamed = await CliRunner.RunAsync(dir.Path, url, "-q");
        Assert.True(renamed.ExitCode == 0, renamed.Stderr);
        Assert.Equal("mine", File.ReadAllText(dir.File(key)));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key + " (1)")));

        var forced = await CliRunner.RunAsync(dir.Path, url, "-q", "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public async Task Running_again_after_completion_skips_the_unchanged_file()
    {
        using var dir = new TempDirectory();
        string url = _origin.Url($"file/{TestData.Key()}").AbsoluteUri;
        Assert.Equal(0, (await CliRunner.RunAsync(dir.Path, url, "-q")).ExitCode);

        var (exit, stdout, _) = await CliRunner.RunAsync(dir.Path, url, "--json");

        Assert.Equal(0, exit);
        Assert.Contains("\"status\":\"skipped\"", stdout);
        Assert.Single(dir.Files());
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("http://127.0.0.1/x", "-x", "0")]
    [InlineData("http://127.0.0.1/x", "--limit-rate", "fast")]
    public async Task Bad_arguments_exit_with_usage_error(params string[] args)
    {
        using var dir = new TempDirectory();
        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, args);

        Assert.Equal(2, exit);
        Assert.NotEmpty(stderr.Trim());
        Assert.Empty(dir.Files());
    }
}
