using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The module's proxy parameters through a real squid that requires Basic auth: -ProxyCredential over plain http, a
/// -Proxy URL's user:password@ through a CONNECT tunnel to https, the 407 that names -ProxyCredential, and -NoProxy.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class ProxyTests : ProxyLabTests
{
    private const string Credential = "[pscredential]::new($args[3], [Net.NetworkCredential]::new('', $args[4]).SecurePassword)";

    public ProxyTests(OriginServer origin)
        : base(origin)
    {
    }

    [SkippableFact]
    public void Start_Download_passes_the_proxy_with_ProxyCredential_and_a_407_names_it()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult refused = ps.Run("Start-Download $args[0] -Destination $args[1] -Proxy $args[2]", null, Origin.Url($"file/{key}").AbsoluteUri, dir.Path, Lab.Squid.Address);
        PsResult passed = ps.Run(
            $"Start-Download $args[0] -Destination $args[1] -Proxy $args[2] -ProxyCredential ({Credential})",
            null,
            Origin.Url($"file/{key}").AbsoluteUri,
            dir.Path,
            Lab.Squid.Address,
            SquidProxy.User,
            SquidProxy.Password);

        string error = Assert.Single(refused.Errors).ToString();
        Assert.Contains("407", error);
        Assert.Contains("-ProxyCredential", error);
        Assert.True(passed.Errors.Count == 0 && passed.Terminating == null, passed.Describe());
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [SkippableFact]
    public void ProxyUseDefaultCredentials_without_an_identity_the_proxy_takes_gets_a_407_that_says_why_and_names_ProxyCredential()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        Skip.If(OperatingSystem.IsWindows(), "On Windows the caller has a sign-in; this shows the documented behaviour where there is none.");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string plain = TestData.Key();
        string tunnelled = TestData.Key();
        const string Script = "Start-Download $args[0] -Destination $args[1] -Proxy $args[2] -ProxyUseDefaultCredentials -SkipCertificateCheck";

        PsResult http = ps.Run(Script, null, Origin.Url($"file/{plain}").AbsoluteUri, dir.Path, Lab.Squid.Address);
        PsResult https = ps.Run(Script, null, new Uri(Lab.Tls.BaseUri, $"file/{tunnelled}").AbsoluteUri, dir.Path, Lab.Squid.Address);

        foreach (PsResult result in new[] { http, https })
        {
            string error = Assert.Single(result.Errors).ToString();
            Assert.Contains("407", error);
            Assert.Contains("-ProxyUseDefaultCredentials was given, but the caller's identity answers only a Negotiate or NTLM proxy", error);
            Assert.Contains("give them with -ProxyCredential", error);
        }

        Assert.Contains("(it offers Basic)", http.Errors[0].ToString());
        Assert.Empty(dir.Files());
    }

    [SkippableFact]
    public void A_WebSession_carries_its_proxy_and_the_proxy_credential()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string plain = TestData.Key();
        string tunnelled = TestData.Key();
        string bare = TestData.Key();
        const string Session = WebSessionScript.New + """

            $s.Proxy = [Net.WebProxy]::new($args[2])
            if ($args[3]) { $s.Proxy.Credentials = [Net.NetworkCredential]::new($args[3], $args[4]) }
            Start-Download $args[0] -Destination $args[1] -WebSession $s -SkipCertificateCheck
            """;

        PsResult http = ps.Run(Session, null, Origin.Url($"file/{plain}").AbsoluteUri, dir.Path, Lab.Squid.Address, SquidProxy.User, SquidProxy.Password);
        PsResult https = ps.Run(Session, null, new Uri(Lab.Tls.BaseUri, $"file/{tunnelled}").AbsoluteUri, dir.Path, Lab.Squid.Address, SquidProxy.User, SquidProxy.Password);
        PsResult noCredential = ps.Run(Session, null, Origin.Url($"file/{bare}").AbsoluteUri, dir.Path, Lab.Squid.Address, string.Empty, string.Empty);

        Assert.True(http.Errors.Count == 0 && http.Terminating == null, http.Describe());
        Assert.True(https.Errors.Count == 0 && https.Terminating == null, https.Describe());
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(plain)));
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(tunnelled)));

        // The 407 proves the session's proxy was the way out (the origin itself never asks a proxy's question).
        Assert.Contains("407", Assert.Single(noCredential.Errors).ToString());
        Assert.False(File.Exists(dir.File(bare)));
        Assert.DoesNotContain(SquidProxy.Password, http.Describe() + https.Describe() + noCredential.Describe());
    }

    [SkippableFact]
    public void Start_Download_tunnels_https_with_the_credential_in_the_proxy_url()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run(
            "Start-Download $args[0] -Destination $args[1] -Proxy $args[2] -SkipCertificateCheck",
            null,
            new Uri(Lab.Tls.BaseUri, $"file/{key}").AbsoluteUri,
            dir.Path,
            Lab.Squid.AddressWithCredentials);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [SkippableFact]
    public void Resume_Download_Path_through_the_proxy_says_its_credential_is_needed_again()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        // 300 KB/s per response: the 3 MB file takes seconds even over eight connections, so the job is stopped
        // part-way, once it has bytes to resume from (Stop-Job returns after their last checkpoint). At 2 MB/s a
        // loaded machine could finish it between the state file's first write and Stop-Job.
        PsResult result = ps.Run($$"""
            $cred = {{Credential}}
            $job = Start-Download $args[0] -Destination $args[1] -Proxy $args[2] -ProxyCredential $cred -AsJob
            for ($i = 0; $i -lt 600 -and -not ((Get-Download -Id $job.Id).BytesReceived -gt 500000); $i++) { [Threading.Thread]::Sleep(50) }
            Stop-Job $job
            Remove-Job $job
            [IO.File]::ReadAllText($args[5] + '.downloader')
            Resume-Download -Path $args[5] -Proxy $args[2] -ErrorAction SilentlyContinue -ErrorVariable refused
            $refused | ForEach-Object { 'refused: ' + $_ }
            Resume-Download -Path $args[5] -Proxy $args[2] -ProxyCredential $cred
            """, TimeSpan.FromSeconds(60), Origin.Url($"slow/300000/{key}").AbsoluteUri, dir.Path, Lab.Squid.Address, SquidProxy.User, SquidProxy.Password, dir.File(key));

        Assert.Null(result.Terminating);
        Assert.DoesNotContain(SquidProxy.Password, Assert.IsType<string>(result.Values[0]));
        string refused = Assert.IsType<string>(result.Values[1]);
        Assert.Contains("407", refused);
        Assert.Contains("-ProxyCredential", refused);
        Assert.Contains("a state file keeps none, so give them again", refused);
        Assert.Equal(true, result.Property(2, "Resumed"));
        Assert.Equal(TestData.Sha256(Origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [SkippableFact]
    public void NoProxy_beside_Proxy_is_refused_before_any_request()
    {
        Skip.IfNot(SquidProxy.Installed, "squid is not installed (.ci/run installs it).");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -Proxy $args[2] -NoProxy", null, Origin.Url($"file/{key}").AbsoluteUri, dir.Path, Lab.Squid.Address);

        // Statement-terminating, as Invoke-WebRequest's parameter errors are: the command never starts a job.
        string error = result.Terminating?.Message ?? Assert.Single(result.Errors).ToString();
        Assert.Contains("-NoProxy and -Proxy", error);
        Assert.Empty(result.Output);
        Assert.Equal(0, Origin.Hits($"file/{key}"));
    }
}
