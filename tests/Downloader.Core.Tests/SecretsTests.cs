using System.Net;
using System.Text.Json;
using Downloader.Core.Resume;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// A password in a URL, or a credential header, never shows in a result, an error, the CLI's output or a file; the
/// non-secret options a resume needs are kept in the state file.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SecretsTests
{
    private const string Password = "pa55-w0rd";
    private readonly OriginServer _origin;

    public SecretsTests(OriginServer origin)
    {
        _origin = origin;
    }

    private Uri WithPassword(string relative) => new($"http://bob:{Password}@127.0.0.1:{_origin.BaseUri.Port}/{relative}");

    [Fact]
    public void A_request_derived_with_with_keeps_its_fields_and_prints_no_password()
    {
        var request = new DownloadRequest(new Uri($"http://user:{Password}@127.0.0.1/f")) { Directory = "d", OutputPath = "o" };

        DownloadRequest derived = request with { InMemory = true };

        Assert.Equal((request.Uri, "d", "o", true), (derived.Uri, derived.Directory, derived.OutputPath, derived.InMemory));
        Assert.DoesNotContain(Password, derived.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, $"{derived}", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_and_errors_show_the_url_with_its_password_redacted()
    {
        using var dir = new TempDirectory();
        DownloadResult failed = await DownloadHarness.DownloadAsync(WithPassword($"status/404/{TestData.Key()}"), dir.Path);
        DownloadResult completed = await DownloadHarness.DownloadAsync(WithPassword($"file/{TestData.Key()}"), dir.Path);

        foreach (DownloadResult result in new[] { failed, completed })
        {
            string shown = string.Join("\n", result.Url, result.FinalUrl, result.Input, result.Error);
            Assert.DoesNotContain(Password, shown);
            Assert.Contains("bob:***@", result.Url!.AbsoluteUri);
        }

        Assert.Contains("bob:***@", failed.Error);
    }

    [Fact]
    public void Text_redaction_covers_every_form_of_a_url()
    {
        string text = $"GET http://bob:{Password}@host/a failed; then https://x:{Uri.EscapeDataString("p@ss:/")}@h:8/b and mailto:a@b and http://host/@c";

        string redacted = Http.UserInfo.Redact(text);

        Assert.Equal("GET http://bob:***@host/a failed; then https://x:***@h:8/b and mailto:a@b and http://host/@c", redacted);
    }

    [Fact]
    public async Task The_state_file_keeps_no_password_and_no_credential_header_but_the_plain_options()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = DownloadHarness.FastOptions() with
        {
            Headers = new Dictionary<string, string> { ["X-Client"] = "downloader-test", ["X-Api-Key"] = "k3y-s3cret", ["Cookie"] = "sid=c00kie" },
            UserAgent = "TestAgent/1.0",
        };
        using (var client = new DownloadClient(options))
        {
            FileDownload download = client.Start(new DownloadRequest(WithPassword($"needs-headers/{key}")) { Directory = dir.Path });
            await DownloadHarness.WaitUntilAsync(() => download.GetProgress().BytesReceived > 500_000, 20_000);
            download.Cancel();
            await download.Completion;
        }

        string state = File.ReadAllText(dir.File(key + ResumeStateFile.Extension));
        Assert.DoesNotContain(Password, state);
        Assert.DoesNotContain("k3y-s3cret", state);
        Assert.DoesNotContain("c00kie", state);
        Assert.Contains("bob:***@", state);
        ResumeState saved = ResumeStateFile.TryLoad(dir.File(key + ResumeStateFile.Extension))!;
        Assert.Equal("TestAgent/1.0", saved.UserAgent);
        Assert.Equal(new Dictionary<string, string> { ["X-Client"] = "downloader-test" }, saved.Headers);

        // Resuming from what the file kept, plus the secret given again, continues from the bytes on disk.
        var resumeOptions = DownloadHarness.FastOptions() with
        {
            Headers = new Dictionary<string, string>(saved.Headers) { ["X-Api-Key"] = "k3y-s3cret" },
            UserAgent = saved.UserAgent!,
        };
        using var again = new DownloadClient(resumeOptions);
        DownloadResult result = await again.Start(new DownloadRequest(Http.UserInfo.Strip(saved.Url)) { Directory = dir.Path }).Completion.WaitAsync(TimeSpan.FromSeconds(60));
        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.True(result.Resumed);
    }

    [Fact]
    public async Task The_cli_redacts_the_password_in_json_and_on_stderr()
    {
        using var dir = new TempDirectory();
        string url = WithPassword($"status/404/{TestData.Key()}").AbsoluteUri;

        var (exit, stdout, stderr) = await CliRunner.RunAsync(dir.Path, url, "--json");

        Assert.Equal(1, exit);
        Assert.DoesNotContain(Password, stdout + stderr);
        using JsonDocument json = JsonDocument.Parse(stdout);
        Assert.Contains("bob:***@", json.RootElement.GetProperty("url").GetString());
        Assert.Contains("bob:***@", stderr);
    }

    [Fact]
    public async Task The_state_file_keeps_no_token_proxy_password_cookie_or_netrc_password_and_a_resume_without_them_says_so()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var cookies = new System.Net.CookieContainer();
        cookies.Add(new Cookie("sid", "c00kie-in-jar", "/", "127.0.0.1"));
        var network = new Http.NetworkSettings
        {
            BearerToken = OriginServer.BearerToken,
            ProxyCredential = new NetworkCredential("proxyuser", "pr0xy-pa55"),
            Cookies = cookies,
            Netrc = Http.NetrcFile.Parse("machine example.org login n password n3trc-pa55"),
        };
        using (var client = new DownloadClient(DownloadHarness.FastOptions() with { Network = network }))
        {
            FileDownload download = client.Start(new DownloadRequest(_origin.Url($"bearer/{key}")) { Directory = dir.Path });
            await DownloadHarness.WaitUntilAsync(() => download.GetProgress().BytesReceived > 500_000, 20_000);
            download.Cancel();
            await download.Completion;
        }

        string state = File.ReadAllText(dir.File(key + ResumeStateFile.Extension));
        foreach (string secret in new[] { OriginServer.BearerToken, "pr0xy-pa55", "c00kie-in-jar", "n3trc-pa55" })
        {
            Assert.DoesNotContain(secret, state);
        }

        // A resume from what the file kept, without the token: the 401 names the URL and what supplies a token.
        ResumeState saved = ResumeStateFile.TryLoad(dir.File(key + ResumeStateFile.Extension))!;
        DownloadResult refused = await DownloadHarness.DownloadAsync(saved.Url, dir.Path);
        Assert.Contains(saved.Url.AbsoluteUri, refused.Error);
        Assert.Contains("HTTP 401", refused.Error);
        Assert.Contains("-Token", refused.Error);
        Assert.DoesNotContain(OriginServer.BearerToken, refused.Error);
    }
}
