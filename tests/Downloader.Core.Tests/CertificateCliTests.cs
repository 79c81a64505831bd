using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Certificates against a real TLS Kestrel origin from a company CA made in the test: --cacert trusts it for this run
/// only; --cert (PEM with --key, or PFX with its password) answers an origin that wants a client certificate; a file
/// that cannot be read stops the run, naming it, before any request.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class CertificateCliTests : IAsyncLifetime
{
    private readonly OriginServer _origin;
    private readonly PrivateCa _ca = new();
    private PrivateCaOrigin? _tls;

    public CertificateCliTests(OriginServer origin)
    {
        _origin = origin;
    }

    private PrivateCaOrigin Tls => _tls!;

    public Task InitializeAsync()
    {
        _tls = new PrivateCaOrigin(_ca, _origin.Content);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Tls.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task Cacert_trusts_the_private_ca_for_this_run_only()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = Tls.Url($"file/{key}").AbsoluteUri;

        var untrusted = await CliRunner.RunAsync(dir.Path, url);
        var trusted = await CliRunner.RunAsync(dir.Path, url, "--cacert", _ca.CaPem);

        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("TLS", untrusted.Stderr);
        Assert.True(trusted.ExitCode == 0, trusted.Stderr);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public async Task Cert_with_key_or_a_pfx_with_its_password_answers_an_origin_that_wants_a_client_certificate()
    {
        using var dir = new TempDirectory();
        string pem = TestData.Key();
        string pfx = TestData.Key();
        string none = TestData.Key();

        var withoutCert = await CliRunner.RunAsync(dir.Path, Tls.Url($"client-cert/{none}").AbsoluteUri, "--cacert", _ca.CaPem);
        var withPem = await CliRunner.RunAsync(dir.Path, Tls.Url($"client-cert/{pem}").AbsoluteUri, "--cacert", _ca.CaPem, "--cert", _ca.ClientPem, "--key", _ca.ClientKey);
        var withPfx = await CliRunner.RunAsync(dir.Path, Tls.Url($"client-cert/{pfx}").AbsoluteUri, "--cacert", _ca.CaPem, "--cert", $"{_ca.ClientPfx}:{PrivateCa.PfxPassword}", "--json");

        Assert.Equal(1, withoutCert.ExitCode);
        Assert.Contains("HTTP 403", withoutCert.Stderr);
        Assert.True(withPem.ExitCode == 0, withPem.Stderr);
        Assert.True(withPfx.ExitCode == 0, withPfx.Stderr);
        Assert.DoesNotContain(PrivateCa.PfxPassword, withPfx.Stdout + withPfx.Stderr);
        Assert.Equal(new[] { pem, pfx }.Order(), dir.Files());
    }

    [Fact]
    public async Task An_encrypted_pem_key_opens_with_its_password_after_cert_or_from_the_environment_and_the_password_is_never_shown()
    {
        const string keyPassword = "k3y-Pa55phrase";
        using var dir = new TempDirectory();
        using var keys = new TempDirectory();
        string encryptedKey = keys.File("client-encrypted.key");
        using (System.Security.Cryptography.RSA rsa = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPrivateKey(_ca.Client)!)
        {
            var pbe = new System.Security.Cryptography.PbeParameters(
                System.Security.Cryptography.PbeEncryptionAlgorithm.Aes256Cbc, System.Security.Cryptography.HashAlgorithmName.SHA256, 100_000);
            File.WriteAllText(encryptedKey, rsa.ExportEncryptedPkcs8PrivateKeyPem(keyPassword, pbe));
        }

        string inline = TestData.Key();
        string fromEnvironment = TestData.Key();
        string wrong = TestData.Key();
        string none = TestData.Key();
        string[] common = { "--cacert", _ca.CaPem, "--key", encryptedKey, "--json" };
        var withInline = await CliRunner.RunAsync(dir.Path, [Tls.Url($"client-cert/{inline}").AbsoluteUri, "--cert", $"{_ca.ClientPem}:{keyPassword}", .. common]);
        var environment = CliRunner.StartInfo(dir.Path, [Tls.Url($"client-cert/{fromEnvironment}").AbsoluteUri, "--cert", _ca.ClientPem, .. common]);
        environment.Environment["DOWNLOADER_CERT_PASSWORD"] = keyPassword;
        var withEnvironment = await CliRunner.RunAsync(environment);
        var wrongPassword = await CliRunner.RunAsync(dir.Path, [Tls.Url($"client-cert/{wrong}").AbsoluteUri, "--cert", $"{_ca.ClientPem}:wr0ng-k3y-pass", .. common]);
        var noPassword = await CliRunner.RunAsync(dir.Path, [Tls.Url($"client-cert/{none}").AbsoluteUri, "--cert", _ca.ClientPem, .. common]);

        Assert.True(withInline.ExitCode == 0, withInline.Stderr);
        Assert.True(withEnvironment.ExitCode == 0, withEnvironment.Stderr);
        Assert.Equal(2, wrongPassword.ExitCode);
        Assert.Contains($"cannot read the certificate file '{_ca.ClientPem}'", wrongPassword.Stderr);
        Assert.Equal(2, noPassword.ExitCode);
        Assert.Contains("its key is encrypted: give the password as --cert FILE:PASSWORD or in DOWNLOADER_CERT_PASSWORD", noPassword.Stderr);
        foreach (var run in new[] { withInline, withEnvironment, wrongPassword, noPassword })
        {
            Assert.DoesNotContain(keyPassword, run.Stdout + run.Stderr);
            Assert.DoesNotContain("wr0ng-k3y-pass", run.Stdout + run.Stderr);
        }

        Assert.Equal(new[] { inline, fromEnvironment }.Order(), dir.Files());
    }

    [Fact]
    public async Task Unreadable_ca_cert_or_key_files_are_named_before_any_request()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string url = _origin.Url($"file/{key}").AbsoluteUri;
        string missing = dir.File("missing.pem");
        File.WriteAllText(dir.File("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var ca = await CliRunner.RunAsync(dir.Path, url, "--cacert", missing);
        var garbage = await CliRunner.RunAsync(dir.Path, url, "--cacert", dir.File("garbage.pem"));
        var cert = await CliRunner.RunAsync(dir.Path, url, "--cert", missing);
        var keyFile = await CliRunner.RunAsync(dir.Path, url, "--cert", _ca.ClientPem, "--key", missing);
        var wrongPassword = await CliRunner.RunAsync(dir.Path, url, "--cert", $"{_ca.ClientPfx}:wr0ng-pfx-pass");

        Assert.Equal(2, ca.ExitCode);
        Assert.Contains($"cannot read the CA file '{missing}'", ca.Stderr);
        Assert.Equal(2, garbage.ExitCode);
        Assert.Contains($"cannot read the CA file '{dir.File("garbage.pem")}'", garbage.Stderr);
        Assert.Contains($"cannot read the certificate file '{missing}'", cert.Stderr);
        Assert.Contains($"cannot read the key file '{missing}'", keyFile.Stderr);
        Assert.Equal(2, wrongPassword.ExitCode);
        Assert.Contains($"cannot read the certificate file '{_ca.ClientPfx}'", wrongPassword.Stderr);
        Assert.DoesNotContain("wr0ng-pfx-pass", wrongPassword.Stderr);
        Assert.Equal(0, _origin.Hits($"file/{key}"));
    }

    [Fact]
    public async Task Engine_trusts_a_ca_given_for_the_client_and_still_checks_the_name()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = DownloadHarness.FastOptions() with
        {
            Network = new Http.NetworkSettings { TrustedCertificateAuthorities = new() { _ca.Root } },
        };

        DownloadResult byIp = await DownloadHarness.DownloadAsync(Tls.Url($"file/{key}"), dir.Path, options);
        DownloadResult byName = await DownloadHarness.DownloadAsync(new Uri($"https://localhost:{Tls.BaseUri.Port}/file/{TestData.Key()}"), dir.Path, options);

        MisbehavingServerTests.AssertCompleted(byIp, dir, key, _origin.Content);
        Assert.Equal(DownloadErrorKind.Tls, byName.ErrorKind);
    }
}
