using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// The module's sign-in parameters, with Invoke-WebRequest's meanings: -Authentication Bearer with -Token, refused over
/// plain http unless -AllowUnencryptedAuthentication; a wrong token's 401 names the URL; -UseDefaultCredentials where
/// the platform has no identity says what it needs.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class SignInTests
{
    private const string Token = "[Net.NetworkCredential]::new('', $args[2]).SecurePassword";
    private readonly OriginServer _origin;

    public SignInTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Bearer_token_is_refused_over_http_without_AllowUnencryptedAuthentication_and_signs_in_with_it()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _origin.Url($"bearer/{key}").AbsoluteUri;

        PsResult refused = ps.Run($"Start-Download $args[0] -Destination $args[1] -Authentication Bearer -Token ({Token})", null, url, dir.Path, OriginServer.BearerToken);
        PsResult signedIn = ps.Run($"Start-Download $args[0] -Destination $args[1] -Authentication Bearer -Token ({Token}) -AllowUnencryptedAuthentication", null, url, dir.Path, OriginServer.BearerToken);

        string error = Assert.Single(refused.Errors).ToString();
        Assert.Contains("-AllowUnencryptedAuthentication", error);
        Assert.True(signedIn.Errors.Count == 0 && signedIn.Terminating == null, signedIn.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
        Assert.DoesNotContain(OriginServer.BearerToken, refused.Describe() + signedIn.Describe());
    }

    [Fact]
    public void A_wrong_token_gets_a_401_naming_the_url_and_never_the_token()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string url = _origin.Url($"bearer/{TestData.Key()}").AbsoluteUri;

        PsResult result = ps.Run($"Start-Download $args[0] -Destination $args[1] -Authentication OAuth -Token ({Token}) -AllowUnencryptedAuthentication", null, url, dir.Path, "wr0ng-t0ken");

        string error = Assert.Single(result.Errors).ToString();
        Assert.Contains(url, error);
        Assert.Contains("HTTP 401", error);
        Assert.Contains("refused the credentials given", error);
        Assert.DoesNotContain("wr0ng-t0ken", result.Describe());
        Assert.Empty(dir.Files());
    }

    [Fact]
    public void Token_without_a_bearer_scheme_and_Basic_without_a_credential_are_refused_before_any_request()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _origin.Url($"bearer/{key}").AbsoluteUri;

        PsResult noScheme = ps.Run($"Start-Download $args[0] -Destination $args[1] -Token ({Token})", null, url, dir.Path, OriginServer.BearerToken);
        PsResult noCredential = ps.Run("Start-Download $args[0] -Destination $args[1] -Authentication Basic", null, url, dir.Path);

        Assert.Contains("-Token needs -Authentication Bearer or OAuth", noScheme.Terminating?.Message ?? Assert.Single(noScheme.Errors).ToString());
        Assert.Contains("-Authentication Basic needs -Credential", noCredential.Terminating?.Message ?? Assert.Single(noCredential.Errors).ToString());
        Assert.Equal(0, _origin.Hits($"bearer/{key}"));
    }

    [Fact]
    public void A_cookie_set_during_a_batch_applies_to_its_later_requests()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string signIn = TestData.Key();
        string file = TestData.Key();

        // The second URL enters the pipeline only once the sign-in's file is at its final name: "later" by the
        // batch's own event, not by timing (the wait is bounded).
        PsResult result = ps.Run("""
            & {
                $args[0]
                for ($i = 0; $i -lt 400 -and -not [IO.File]::Exists($args[3]); $i++) { [Threading.Thread]::Sleep(50) }
                $args[1]
            } $args[0] $args[1] $args[2] $args[3] | Start-Download -Destination $args[2]
            """, null, _origin.Url($"sign-in/{signIn}").AbsoluteUri, _origin.Url($"needs-cookie/{file}").AbsoluteUri, dir.Path + Path.DirectorySeparatorChar, dir.File(signIn));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(file)));
    }

    [SkippableFact]
    public void UseDefaultCredentials_without_an_identity_gets_a_401_that_says_what_it_needs()
    {
        Skip.If(OperatingSystem.IsWindows(), "On Windows the caller has an identity; the GitHub Actions workflow runs it there.");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string url = _origin.Url($"negotiate/{TestData.Key()}").AbsoluteUri;

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -UseDefaultCredentials -AllowUnencryptedAuthentication", null, url, dir.Path);

        string error = Assert.Single(result.Errors).ToString();
        Assert.Contains("HTTP 401", error);
        Assert.Contains("Negotiate", error);
        Assert.Contains("Kerberos ticket (kinit)", error);
    }
}
