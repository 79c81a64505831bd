using System.Text.Json;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// <c>--refresh-command</c>: a shell script, written by the test, prints a fresh signed URL when the first one
/// expires half-way; a failing script fails the item with its first stderr line, passwords redacted.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class CliRefreshTests
{
    private readonly OriginServer _origin;

    public CliRefreshTests(OriginServer origin)
    {
        _origin = origin;
    }

    [SkippableFact]
    public async Task Refresh_command_gives_a_new_url_and_the_download_continues()
    {
        Skip.If(OperatingSystem.IsWindows(), "The script is a POSIX shell script.");
        using var dir = new TempDirectory();
        using var scripts = new TempDirectory();
        string key = TestData.Key();
        ExpiringTokens tokens = _origin.Tokens(key);
        Uri signed = _origin.SignedUrl(403, key, "t1");
        Uri fresh = _origin.SignedUrl(403, key, tokens.Issue());
        string seen = scripts.File("seen.txt");
        string script = Script(scripts, $"""
            printf '%s\n' "$DOWNLOADER_URL" "$DOWNLOADER_CURRENT_URL" "$DOWNLOADER_STATUS" "$#" >> '{seen}'
            echo '{fresh.AbsoluteUri}'
            """);

        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, signed.AbsoluteUri, "-x", "4", "--json", "--retries", "3", "--refresh-command", $"sh '{script}'");

        Assert.True(exit == 0, stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Equal("completed", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.Equal(new[] { key }, dir.Files());

        // Ran once, told everything in its environment and nothing on its command line.
        Assert.Equal(new[] { signed.AbsoluteUri, signed.AbsoluteUri, "403", "0" }, File.ReadAllLines(seen));

        // The first half, served under the expired token, was not fetched again.
        long first = tokens.ServedUnder("t1");
        long total = _origin.BodyBytesSentFor($"/expiring/403/{key}");
        Assert.True(first >= OriginServer.FileSize / 2, $"{first} bytes under the first token");
        Assert.True(total < OriginServer.FileSize * 3 / 2, $"the origin sent {total} bytes for a {OriginServer.FileSize}-byte file");
    }

    [SkippableFact]
    public async Task Failing_refresh_command_fails_the_item_with_its_first_stderr_line_redacted()
    {
        Skip.If(OperatingSystem.IsWindows(), "The script is a POSIX shell script.");
        using var dir = new TempDirectory();
        using var scripts = new TempDirectory();
        string key = TestData.Key();
        string script = Script(scripts, """
            echo 'cannot sign for http://bob:hunter2@signer.example/' >&2
            echo 'second line' >&2
            exit 3
            """);

        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.SignedUrl(410, key, "t1").AbsoluteUri, "-x", "4", "--retries", "3", "--refresh-command", $"sh '{script}'");

        Assert.Equal(1, exit);
        Assert.Contains("HTTP 410", stderr);
        Assert.Contains("exited with code 3: cannot sign for http://bob:***@signer.example/", stderr);
        Assert.DoesNotContain("hunter2", stderr);
        Assert.DoesNotContain("second line", stderr);
        Assert.False(File.Exists(dir.File(key)));
    }

    [SkippableFact]
    public async Task Refresh_command_that_prints_nothing_fails_the_item()
    {
        Skip.If(OperatingSystem.IsWindows(), "The script is a POSIX shell script.");
        using var dir = new TempDirectory();
        using var scripts = new TempDirectory();
        string key = TestData.Key();
        string script = Script(scripts, "true");

        var (exit, _, stderr) = await CliRunner.RunAsync(dir.Path, _origin.SignedUrl(403, key, "t1").AbsoluteUri, "-x", "4", "--retries", "3", "--refresh-command", $"sh '{script}'");

        Assert.Equal(1, exit);
        Assert.Contains("the refresh command printed no URL", stderr);
    }

    private static string Script(TempDirectory folder, string body)
    {
        string path = folder.File("refresh.sh");
        File.WriteAllText(path, body.ReplaceLineEndings("\n") + "\n");
        return path;
    }
}
