using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// -TrustedCertificateAuthority (a path converts) and -Certificate against a TLS Kestrel origin whose certificate comes
/// from a CA made in the test, and which serves /client-cert/ only to a client certificate that CA signed.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class CertificateTests : IAsyncLifetime
{
    private readonly OriginServer _origin;
    private readonly PrivateCa _ca = new();
    private PrivateCaOrigin? _tls;

    public CertificateTests(OriginServer origin)
    {
        _origin = origin;
    }

    public Task InitializeAsync()
    {
        _tls = new PrivateCaOrigin(_ca, _origin.Content);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _tls!.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public void TrustedCertificateAuthority_and_Certificate_reach_an_origin_of_a_private_ca_that_wants_a_client_certificate()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _tls!.Url($"client-cert/{key}").AbsoluteUri;

        PsResult untrusted = ps.Run("Start-Download $args[0] -Destination $args[1]", null, url, dir.Path);
        PsResult noCertificate = ps.Run("Start-Download $args[0] -Destination $args[1] -TrustedCertificateAuthority $args[2]", null, url, dir.Path, _ca.CaPem);
        PsResult passed = ps.Run(
            "Start-Download $args[0] -Destination $args[1] -TrustedCertificateAuthority $args[2] -Certificate ([Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($args[3], $args[4]))",
            null,
            url,
            dir.Path,
            _ca.CaPem,
            _ca.ClientPfx,
            PrivateCa.PfxPassword);

        Assert.Contains("TLS", Assert.Single(untrusted.Errors).ToString());
        Assert.Contains("HTTP 403", Assert.Single(noCertificate.Errors).ToString());
        Assert.True(passed.Errors.Count == 0 && passed.Terminating == null, passed.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void A_WebSession_carries_its_client_certificates()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string withCertificate = TestData.Key();
        string without = TestData.Key();
        const string Session = WebSessionScript.New + """

            if ($args[3]) {
                $s.Certificates = [Security.Cryptography.X509Certificates.X509CertificateCollection]::new()
                $null = $s.Certificates.Add([Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12FromFile($args[3], $args[4]))
            }
            Start-Download $args[0] -Destination $args[1] -TrustedCertificateAuthority $args[2] -WebSession $s
            """;

        PsResult passed = ps.Run(Session, null, _tls!.Url($"client-cert/{withCertificate}").AbsoluteUri, dir.Path, _ca.CaPem, _ca.ClientPfx, PrivateCa.PfxPassword);
        PsResult refused = ps.Run(Session, null, _tls!.Url($"client-cert/{without}").AbsoluteUri, dir.Path, _ca.CaPem, string.Empty, string.Empty);

        Assert.True(passed.Errors.Count == 0 && passed.Terminating == null, passed.Describe());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(withCertificate)));
        Assert.Contains("HTTP 403", Assert.Single(refused.Errors).ToString());
        Assert.False(File.Exists(dir.File(without)));
    }

    [Fact]
    public void CertificateThumbprint_finds_the_client_certificate_in_the_users_store()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        using var store = new System.Security.Cryptography.X509Certificates.X509Store(
            System.Security.Cryptography.X509Certificates.StoreName.My, System.Security.Cryptography.X509Certificates.StoreLocation.CurrentUser);
        store.Open(System.Security.Cryptography.X509Certificates.OpenFlags.ReadWrite);

        // The test's own certificate, in the store only for this test.
        store.Add(_ca.Client);
        try
        {
            PsResult result = ps.Run(
                "Start-Download $args[0] -Destination $args[1] -TrustedCertificateAuthority $args[2] -CertificateThumbprint $args[3]",
                null,
                _tls!.Url($"client-cert/{key}").AbsoluteUri,
                dir.Path,
                _ca.CaPem,
                _ca.Client.Thumbprint);
            PsResult unknown = ps.Run("Start-Download $args[0] -Destination $args[1] -CertificateThumbprint 00112233445566778899AABBCCDDEEFF00112233", null, _tls.Url($"client-cert/{TestData.Key()}").AbsoluteUri, dir.Path);

            Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
            Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
            Assert.Contains("No certificate with thumbprint '00112233445566778899AABBCCDDEEFF00112233'", unknown.Terminating?.Message ?? Assert.Single(unknown.Errors).ToString());
        }
        finally
        {
            store.Remove(_ca.Client);
        }
    }

    [Fact]
    public void An_unreadable_ca_file_is_named_before_any_request()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string missing = dir.File("no-such-ca.pem");

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -TrustedCertificateAuthority $args[2]", null, _origin.Url($"file/{key}").AbsoluteUri, dir.Path, missing);

        string error = result.Terminating?.Message ?? Assert.Single(result.Errors).ToString();
        Assert.Contains("TrustedCertificateAuthority", error);
        Assert.Contains(missing, error);
        Assert.Equal(0, _origin.Hits($"file/{key}"));
    }
}
