using System.Diagnostics;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// -WebSession and -SessionVariable in real pwsh 7.6 (the repository's dotnet tool), where Invoke-WebRequest exists:
/// a sign-in done with Invoke-WebRequest carries its cookie, headers and user agent into Start-Download, and a session
/// Start-Download hands back carries the cookie it gathered into Invoke-WebRequest. In the hosted runspace (the SDK's
/// own WebRequestSession), a session's Credentials sign in to a Basic origin; its proxy and certificates are tested
/// beside their servers (ProxyTests, CertificateTests).
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class WebSessionTests
{
    private const string Script = """
        param($Manifest, $Base, $Dest, $A, $B, $C, $D, $E)
        $ErrorActionPreference = 'Stop'
        Import-Module $Manifest
        $null = Invoke-WebRequest "$Base/sign-in/$A" -SessionVariable s
        $s.Headers['X-Client'] = 'downloader-test'
        $s.Headers['X-Api-Key'] = 'k3y-s3cret'
        $s.UserAgent = 'Probe-9'
        $null = Start-Download "$Base/needs-cookie/$B" -Destination $Dest -WebSession $s
        $null = Start-Download "$Base/needs-headers/$C" -Destination $Dest -WebSession $s
        $null = Start-Download "$Base/needs-agent/Probe-9/$D" -Destination $Dest -WebSession $s
        $null = Start-Download "$Base/sign-in/$E" -Destination $Dest -SessionVariable t
        'session: ' + $t.GetType().FullName
        'iwr: ' + (Invoke-WebRequest "$Base/needs-cookie/$E" -WebSession $t).StatusCode
        """;

    private readonly OriginServer _origin;

    public WebSessionTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task Invoke_WebRequest_sessions_carry_into_Start_Download_and_back()
    {
        using var dir = new TempDirectory();
        using var scripts = new TempDirectory();
        string[] keys = { TestData.Key(), TestData.Key(), TestData.Key(), TestData.Key(), TestData.Key() };
        string script = scripts.File("session.ps1");
        File.WriteAllText(script, Script);

        var (exit, stdout, stderr) = await RunPwshAsync(script, ModuleBuild.ManifestPath, _origin.BaseUri.AbsoluteUri.TrimEnd('/'), dir.Path, keys[0], keys[1], keys[2], keys[3], keys[4]);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("session: Microsoft.PowerShell.Commands.WebRequestSession", stdout);
        Assert.Contains("iwr: 200", stdout);
        foreach (string key in keys[1..4])
        {
            Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        }
    }

    [Fact]
    public void A_WebSession_carries_its_credentials_to_a_Basic_origin()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string signedIn = TestData.Key();
        string without = TestData.Key();
        const string Session = WebSessionScript.New + """

            if ($args[2]) { $s.Credentials = [Net.NetworkCredential]::new($args[2], $args[3]) }
            Start-Download $args[0] -Destination $args[1] -WebSession $s -AllowUnencryptedAuthentication
            """;

        PsResult passed = ps.Run(Session, null, _origin.Url($"auth/{signedIn}").AbsoluteUri, dir.Path, OriginServer.AuthUser, OriginServer.AuthPassword);
        PsResult refused = ps.Run(Session, null, _origin.Url($"auth/{without}").AbsoluteUri, dir.Path, string.Empty, string.Empty);

        Assert.True(passed.Errors.Count == 0 && passed.Terminating == null, passed.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(signedIn)));
        Assert.Contains("HTTP 401", Assert.Single(refused.Errors).ToString());
        Assert.False(File.Exists(dir.File(without)));
        Assert.DoesNotContain(OriginServer.AuthPassword, passed.Describe() + refused.Describe());
    }

    /// <summary>Runs a script file in the repository's pwsh (a local dotnet tool), under a deadline.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunPwshAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = ModuleBuild.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", script }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
