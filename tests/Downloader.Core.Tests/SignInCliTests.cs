using System.Diagnostics;
using System.Text.Json;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// The CLI's sign-in options against a real Kestrel origin: -H, -A, -u, --oauth2-bearer and its environment variable,
/// --netrc-file, and the errors of a missing or wrong token. No output ever holds a token or password.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SignInCliTests
{
    private readonly OriginServer _origin;

    public SignInCliTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Oauth2_bearer_signs_in_and_a_missing_or_wrong_token_gets_a_401_naming_the_url()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = _origin.Url($"bearer/{key}").AbsoluteUri;

        var missing = await CliRunner.RunAsync(dir.Path, url);
        var wrong = await CliRunner.RunAsync(dir.Path, url, "--oauth2-bearer", "wr0ng-t0ken", "--json");
        var signedIn = await CliRunner.RunAsync(dir.Path, url, "--oauth2-bearer", OriginServer.BearerToken, "--json");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains(url, missing.Stderr);
        Assert.Contains("HTTP 401", missing.Stderr);
        Assert.Contains("--oauth2-bearer", missing.Stderr);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains(url, wrong.Stderr);
        Assert.Contains("refused the credentials given", wrong.Stderr);
        Assert.DoesNotContain("wr0ng-t0ken", wrong.Stdout + wrong.Stderr);
        Assert.True(signedIn.ExitCode == 0, signedIn.Stderr);
        Assert.DoesNotContain(OriginServer.BearerToken, signedIn.Stdout + signedIn.Stderr);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public async Task Stream_takes_the_same_sign_in_options()
    {
        using var dir = new TempDirectory();
        string url = _origin.Url($"bearer/{TestData.Key()}").AbsoluteUri;

        var missing = await CliRunner.RunAsync(dir.Path, "stream", url);
        var wrong = await CliRunner.RunAsync(dir.Path, "stream", url, "--oauth2-bearer", "wr0ng-t0ken");

        // Sent and refused, versus never sent: the option reached the stream's requests.
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("asks for credentials", missing.Stderr);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("refused the credentials given", wrong.Stderr);
        Assert.DoesNotContain("wr0ng-t0ken", wrong.Stdout + wrong.Stderr);
    }

    [Fact]
    public async Task The_token_can_come_from_the_environment_and_never_follows_a_redirect_to_another_host()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        ProcessStartInfo info = CliRunner.StartInfo(dir.Path, _origin.Url($"bearer-to-other-host/{key}").AbsoluteUri);
        info.Environment["DOWNLOADER_OAUTH2_BEARER"] = OriginServer.BearerToken;

        var (exit, _, stderr) = await CliRunner.RunAsync(info);

        Assert.True(exit == 0, stderr);
        Assert.Equal("Bearer " + OriginServer.BearerToken, _origin.AuthorizationSeen($"/bearer-to-other-host/{key}"));
        Assert.Equal(string.Empty, _origin.AuthorizationSeen($"/file/{key}"));
    }

    [Fact]
    public async Task Repeated_headers_and_a_user_agent_are_sent()
    {
        using var dir = new TempDirectory();
        string headers = TestData.Key();
        string agent = TestData.Key();

        var sent = await CliRunner.RunAsync(dir.Path, _origin.Url($"needs-headers/{headers}").AbsoluteUri, "-H", "X-Client: downloader-test", "--header", "X-Api-Key: k3y-s3cret", "--json");
        var agentSent = await CliRunner.RunAsync(dir.Path, _origin.Url($"needs-agent/Probe-7/{agent}").AbsoluteUri, "-A", "Probe-7");
        var bad = await CliRunner.RunAsync(dir.Path, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, "-H", "no-colon-s3cret");

        Assert.True(sent.ExitCode == 0, sent.Stderr);
        Assert.DoesNotContain("k3y-s3cret", sent.Stdout + sent.Stderr);
        Assert.True(agentSent.ExitCode == 0, agentSent.Stderr);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--header", bad.Stderr);
        Assert.DoesNotContain("s3cret", bad.Stderr);
        Assert.Equal(new[] { agent, headers }.Order(), dir.Files());
    }

    [Fact]
    public async Task User_signs_in_with_basic_and_a_user_without_password_and_no_terminal_is_a_clear_error()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = _origin.Url($"auth/{key}").AbsoluteUri;

        var signedIn = await CliRunner.RunAsync(dir.Path, url, "-u", $"{OriginServer.AuthUser}:{OriginServer.AuthPassword}", "--json");
        var noPassword = await CliRunner.RunAsync(dir.Path, url, "--user", OriginServer.AuthUser);

        Assert.True(signedIn.ExitCode == 0, signedIn.Stderr);
        Assert.DoesNotContain(OriginServer.AuthPassword, signedIn.Stdout + signedIn.Stderr);
        Assert.Equal(2, noPassword.ExitCode);
        Assert.Contains("--user gave no password", noPassword.Stderr);
        Assert.Equal(new[] { key }, dir.Files());
    }

    [SkippableFact]
    public async Task User_without_password_is_asked_for_it_on_a_terminal_without_echo()
    {
        Skip.If(OperatingSystem.IsWindows() || !File.Exists("/usr/bin/script"), "needs util-linux script(1) for a pseudo-terminal.");
        using var dir = new TempDirectory();
        string key = TestData.Key();
        ProcessStartInfo cli = CliRunner.StartInfo(dir.Path, _origin.Url($"auth/{key}").AbsoluteUri, "--user", OriginServer.AuthUser);
        string command = string.Join(" ", new[] { cli.FileName }.Concat(cli.ArgumentList).Select(a => "'" + a + "'"));
        var info = new ProcessStartInfo("/usr/bin/script")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-qec", command, "/dev/null" })
        {
            info.ArgumentList.Add(arg);
        }

        // script(1) gives the CLI a pseudo-terminal: the prompt is the event to answer.
        using Process process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new System.Text.StringBuilder();
        var buffer = new char[256];
        while (!seen.ToString().Contains("Enter host password for user 'alice':", StringComparison.Ordinal))
        {
            int n = await process.StandardOutput.ReadAsync(buffer.AsMemory(), timeout.Token);
            Assert.True(n > 0, "the CLI ended without asking: " + seen);
            seen.Append(buffer, 0, n);
        }

        await process.StandardInput.WriteAsync(OriginServer.AuthPassword + "\r");
        await process.StandardInput.FlushAsync();
        string rest = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, seen + rest);
        Assert.DoesNotContain(OriginServer.AuthPassword, rest);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public async Task Netrc_file_gives_each_host_its_credential_and_an_unreadable_one_stops_before_any_request()
    {
        using var dir = new TempDirectory();
        using var home = new TempDirectory();
        string key = TestData.Key();
        string netrc = home.File("netrc");
        File.WriteAllText(netrc, $"machine example.org login x password y\nmachine 127.0.0.1\n  login {OriginServer.AuthUser}\n  password \"{OriginServer.AuthPassword}\"\n");

        var signedIn = await CliRunner.RunAsync(dir.Path, _origin.Url($"auth/{key}").AbsoluteUri, "--netrc-file", netrc, "--json");
        string missing = home.File("no-such-netrc");
        string other = TestData.Key();
        var unreadable = await CliRunner.RunAsync(dir.Path, _origin.Url($"auth/{other}").AbsoluteUri, "--netrc-file", missing);

        Assert.True(signedIn.ExitCode == 0, signedIn.Stderr);
        Assert.DoesNotContain(OriginServer.AuthPassword, signedIn.Stdout + signedIn.Stderr);
        Assert.Equal(2, unreadable.ExitCode);
        Assert.Contains($"cannot read the netrc file '{missing}'", unreadable.Stderr);
        Assert.Equal(0, _origin.Hits($"auth/{other}"));
    }

    [Fact]
    public async Task Netrc_reads_the_netrc_in_the_home_folder_and_only_when_asked()
    {
        using var dir = new TempDirectory();
        using var home = new TempDirectory();
        File.WriteAllText(home.File(".netrc"), $"machine 127.0.0.1 login {OriginServer.AuthUser} password {OriginServer.AuthPassword}\n");
        using var emptyHome = new TempDirectory();
        string withNetrc = TestData.Key();
        string without = TestData.Key();
        string noFile = TestData.Key();

        var signedIn = await CliRunner.RunAsync(WithHome(CliRunner.StartInfo(dir.Path, _origin.Url($"auth/{withNetrc}").AbsoluteUri, "--netrc", "--json"), home.Path));
        var notAsked = await CliRunner.RunAsync(WithHome(CliRunner.StartInfo(dir.Path, _origin.Url($"auth/{without}").AbsoluteUri), home.Path));
        var noNetrc = await CliRunner.RunAsync(WithHome(CliRunner.StartInfo(dir.Path, _origin.Url($"auth/{noFile}").AbsoluteUri, "--netrc"), emptyHome.Path));

        Assert.True(signedIn.ExitCode == 0, signedIn.Stderr);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(withNetrc)));
        Assert.Equal(1, notAsked.ExitCode);
        Assert.Contains("HTTP 401", notAsked.Stderr);
        Assert.Equal(2, noNetrc.ExitCode);
        Assert.Contains("--netrc: there is no .netrc in the home folder.", noNetrc.Stderr);
        Assert.Equal(0, _origin.Hits($"auth/{noFile}"));
        foreach (var run in new[] { signedIn, notAsked, noNetrc })
        {
            Assert.DoesNotContain(OriginServer.AuthPassword, run.Stdout + run.Stderr);
        }
    }

    private static System.Diagnostics.ProcessStartInfo WithHome(System.Diagnostics.ProcessStartInfo info, string home)
    {
        info.Environment["HOME"] = home;
        info.Environment["USERPROFILE"] = home;
        return info;
    }
}
