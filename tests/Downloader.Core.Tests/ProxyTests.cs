using System.Diagnostics;
using System.Text.Json;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Downloads through a real squid that requires Basic auth: plain http (the proxy forwards the request) and https
/// (a CONNECT tunnel to a TLS Kestrel origin), from the CLI and the engine. A request without the proxy's credentials
/// gets 407, which proves the traffic goes through squid; its error names the option that supplies them, and no
/// output ever holds the proxy's password.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class ProxyTests : ProxyLabTests
{
    public ProxyTests(OriginServer origin)
        : base(origin)
    {
    }

    [SkippableFact]
    public async Task Cli_passes_the_proxy_with_proxy_user_over_http_and_names_the_option_on_407()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = Origin.Url($"file/{key}").AbsoluteUri;

        var refused = await CliRunner.RunAsync(dir.Path, url, "--proxy", Lab.Squid.Address.AbsoluteUri, "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("407", refused.Stderr);
        Assert.Contains("--proxy-user", refused.Stderr);
        Assert.Empty(dir.Files());

        var passed = await CliRunner.RunAsync(dir.Path, url, "--proxy", Lab.Squid.Address.AbsoluteUri, "--proxy-user", $"{SquidProxy.User}:{SquidProxy.Password}", "--json");
        Assert.True(passed.ExitCode == 0, passed.Stderr);
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.DoesNotContain(SquidProxy.Password, passed.Stdout + passed.Stderr);
    }

    [SkippableFact]
    public async Task Cli_tunnels_https_through_the_proxy_with_the_credential_in_its_url()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = new Uri(Lab.Tls.BaseUri, $"file/{key}").AbsoluteUri;

        var refused = await CliRunner.RunAsync(dir.Path, url, "--insecure", "--proxy", Lab.Squid.Address.AbsoluteUri);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("tunnel", refused.Stderr);
        Assert.Contains("407", refused.Stderr);
        Assert.Contains("--proxy-user", refused.Stderr);

        var passed = await CliRunner.RunAsync(dir.Path, url, "--insecure", "--proxy", Lab.Squid.AddressWithCredentials.AbsoluteUri, "--json");
        Assert.True(passed.ExitCode == 0, passed.Stderr);
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.DoesNotContain(SquidProxy.Password, passed.Stdout + passed.Stderr);
    }

    [SkippableFact]
    public async Task A_wrong_proxy_password_fails_without_showing_it_anywhere()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        const string wrong = "wr0ng-Pr0xy-pass";
        string url = Origin.Url($"file/{TestData.Key()}").AbsoluteUri;

        var result = await CliRunner.RunAsync(dir.Path, url, "--proxy", $"http://{SquidProxy.User}:{wrong}@127.0.0.1:{Lab.Squid.Port}", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused the credentials", result.Stderr);
        Assert.DoesNotContain(wrong, result.Stdout + result.Stderr);
        using JsonDocument json = JsonDocument.Parse(result.Stdout);
        Assert.DoesNotContain(wrong, json.RootElement.GetRawText());
        Assert.Empty(dir.Files());
    }

    [SkippableFact]
    public async Task The_environment_proxy_applies_by_default_and_proxy_user_signs_in_to_it()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = Origin.Url($"file/{key}").AbsoluteUri;
        ProcessStartInfo bare = CliRunner.StartInfo(dir.Path, url);
        ProcessStartInfo signed = CliRunner.StartInfo(dir.Path, url, "--proxy-user", $"{SquidProxy.User}:{SquidProxy.Password}");
        foreach (ProcessStartInfo info in new[] { bare, signed })
        {
            info.Environment["HTTP_PROXY"] = Lab.Squid.Address.AbsoluteUri;
            info.Environment["http_proxy"] = Lab.Squid.Address.AbsoluteUri;
            info.Environment.Remove("NO_PROXY");
            info.Environment.Remove("no_proxy");
        }

        var refused = await CliRunner.RunAsync(bare);
        var passed = await CliRunner.RunAsync(signed);

        Assert.Contains("407", refused.Stderr);
        Assert.True(passed.ExitCode == 0, passed.Stderr);
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [SkippableFact]
    public async Task Noproxy_hosts_are_reached_directly()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        string key = TestData.Key();

        // The proxy would answer 407: a download that completes did not go through it.
        var result = await CliRunner.RunAsync(dir.Path, Origin.Url($"file/{key}").AbsoluteUri, "--proxy", Lab.Squid.Address.AbsoluteUri, "--noproxy", "example.org,127.0.0.1");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [SkippableFact]
    public async Task Engine_proxy_credential_passes_and_a_credential_in_the_url_as_well_is_refused()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = DownloadHarness.FastOptions() with
        {
            Proxy = Lab.Squid.Address,
            Network = new Http.NetworkSettings { ProxyCredential = new System.Net.NetworkCredential(SquidProxy.User, SquidProxy.Password) },
        };

        DownloadResult result = await DownloadHarness.DownloadAsync(Origin.Url($"file/{key}"), dir.Path, options);

        MisbehavingServerTests.AssertCompleted(result, dir, key, Origin.Content);
        string? twice = Http.ProxyChoice.Problem(options with { Proxy = Lab.Squid.AddressWithCredentials });
        Assert.Contains("give the credential once", twice);
        Assert.DoesNotContain(SquidProxy.Password, twice);
    }

    [SkippableFact]
    public void Squid_is_stopped_by_its_pid()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        Assert.False(Process.GetProcessById(Lab.Squid.Pid).HasExited);
    }
}
