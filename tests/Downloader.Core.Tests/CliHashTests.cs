using System.Text.Json;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>The CLI's hashes: --checksum in every algorithm, the list's hash column, and --checksum-file in both formats.</summary>
[Collection(OriginCollection.Name)]
public sealed class CliHashTests
{
    private readonly OriginServer _origin;

    public CliHashTests(OriginServer origin)
    {
        _origin = origin;
    }

    public static IEnumerable<object[]> Algorithms() => TestDigests.Algorithms.Select(a => new object[] { a });

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task Checksum_in_every_algorithm_passes_right_and_fails_wrong_keeping_nothing(string algorithm)
    {
        using var dir = new TempDirectory();
        string right = TestData.Key(), wrong = TestData.Key();
        string digest = TestDigests.Of(algorithm, _origin.Content);

        var ok = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{right}").AbsoluteUri, "--json", "-q", "--checksum", $"{algorithm}:{digest}");
        var bad = await CliRunner.RunAsync(dir.Path, _origin.Url($"norange/{wrong}").AbsoluteUri, "--json", "-q", "--checksum", $"{algorithm}:{TestDigests.Wrong(digest)}");

        Assert.True(ok.ExitCode == 0, ok.Stderr);
        using JsonDocument json = JsonDocument.Parse(ok.Stdout);
        Assert.Equal(digest, json.RootElement.GetProperty("hash").GetString());
        Assert.Equal(TestDigests.ReportedName(algorithm), json.RootElement.GetProperty("hashAlgorithm").GetString());
        Assert.Equal(algorithm == "sha256" ? digest : null, json.RootElement.GetProperty("sha256").GetString());
        Assert.Equal(1, bad.ExitCode);
        using JsonDocument failed = JsonDocument.Parse(bad.Stdout);
        Assert.Equal("ChecksumMismatch", failed.RootElement.GetProperty("errorKind").GetString());
        Assert.Equal(new[] { right }, dir.Files());
    }

    [Theory]
    [InlineData("sha257:abcd", "'sha257' is not a hash algorithm")]
    [InlineData("sha1:abcd", "it has 4 hex digits, and SHA-1 has 40")]
    public async Task A_malformed_checksum_is_a_usage_error_before_anything_starts(string value, string message)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{key}").AbsoluteUri, "--checksum", value);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal(0, _origin.Hits($"/file/{key}"));
        Assert.Empty(dir.Files());
    }

    [Fact]
    public async Task The_list_hash_column_checks_each_line_and_a_malformed_one_fails_only_that_line()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        File.WriteAllLines(Path.Combine(dir.Path, "list.txt"), new[]
        {
            _origin.Url($"file/{k}-a").AbsoluteUri + "\t\tSHA-512:" + TestDigests.Of("sha512", _origin.Content),
            _origin.Url($"file/{k}-b").AbsoluteUri + "\t\tmd5:" + TestDigests.Wrong(TestDigests.Of("md5", _origin.Content)),
            _origin.Url($"file/{k}-c").AbsoluteUri + "\t\tsha1:xyz",
            _origin.Url($"file/{k}-d").AbsoluteUri + "\t\t" + TestDigests.Of("sha256", _origin.Content),
        });

        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, "-i", "list.txt", "--json", "-q");

        Assert.Equal(1, exit);
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement Of(string suffix) => Assert.Single(results, r => r.GetProperty("url").GetString()!.EndsWith($"{k}-{suffix}", StringComparison.Ordinal));
        Assert.Equal("SHA512", Of("a").GetProperty("hashAlgorithm").GetString());
        Assert.Equal("ChecksumMismatch", Of("b").GetProperty("errorKind").GetString());
        Assert.Contains("line 3", Of("c").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("is not a SHA-1 digest", Of("c").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("SHA256", Of("d").GetProperty("hashAlgorithm").GetString());
        Assert.Equal(new[] { $"{k}-a", $"{k}-d", "list.txt" }, dir.Files());
        Assert.Contains("line 3", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("bsd")]
    public async Task A_checksum_file_checks_the_files_it_lists(string format)
    {
        using var dir = new TempDirectory();
        string good = TestData.Key(), bad = TestData.Key(), unlisted = TestData.Key();
        string sha384 = TestDigests.Of("sha384", _origin.Content);
        string sha1 = TestDigests.Wrong(TestDigests.Of("sha1", _origin.Content));
        File.WriteAllText(Path.Combine(dir.Path, "SUMS"), format == "gnu"
            ? $"{sha384}  {good}\n{sha1} *{bad}\n"
            : $"SHA384 ({good}) = {sha384}\nSHA1 ({bad}) = {sha1}\n");
        File.WriteAllLines(Path.Combine(dir.Path, "list.txt"), new[] { good, bad, unlisted }.Select(k => _origin.Url($"file/{k}").AbsoluteUri));

        var (exit, stdout, _) = await CliRunner.RunAsync(dir.Path, "-i", "list.txt", "--checksum-file", "SUMS", "--json", "-q");

        Assert.Equal(1, exit);
        var results = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        JsonElement Of(string key) => Assert.Single(results, r => r.GetProperty("url").GetString()!.EndsWith(key, StringComparison.Ordinal));
        Assert.Equal(sha384, Of(good).GetProperty("hash").GetString());
        Assert.Equal("SHA384", Of(good).GetProperty("hashAlgorithm").GetString());
        Assert.Equal("ChecksumMismatch", Of(bad).GetProperty("errorKind").GetString());
        Assert.Equal("completed", Of(unlisted).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, Of(unlisted).GetProperty("hash").ValueKind);
        Assert.Equal(new[] { good, unlisted, "SUMS", "list.txt" }.Order(), dir.Files().Order());
    }

    [Fact]
    public async Task A_damaged_checksum_file_stops_the_run_before_any_download_naming_the_line()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        File.WriteAllText(Path.Combine(dir.Path, "SUMS"), $"{TestDigests.Of("md5", _origin.Content)}  {key}\nthis is not a checksum line\n");

        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{key}").AbsoluteUri, "--checksum-file", "SUMS");

        Assert.Equal(2, exit);
        Assert.Contains("checksum file 'SUMS', line 2: not a checksum line", stderr, StringComparison.Ordinal);
        Assert.Equal(0, _origin.Hits($"/file/{key}"));
        Assert.Equal(new[] { "SUMS" }, dir.Files());
    }
}
