using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// A company CA made in the test: a root, a server certificate for 127.0.0.1 and a client certificate it signed, and
/// the files a user would have (CA PEM, client PEM + key, client PFX with a password).
/// </summary>
public sealed class PrivateCa : IDisposable
{
    public const string PfxPassword = "pfx-Pa55word";
    private readonly TempDirectory _dir = new();

    public PrivateCa()
    {
        using RSA rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=Downloader Test Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Server = Issue("CN=127.0.0.1", serverAuth: true);
        Client = Issue("CN=downloader-test-client", serverAuth: false);
        File.WriteAllText(CaPem, Root.ExportCertificatePem());
        File.WriteAllText(ClientPem, Client.ExportCertificatePem());
        using (RSA clientKey = Client.GetRSAPrivateKey()!)
        {
            File.WriteAllText(ClientKey, clientKey.ExportPkcs8PrivateKeyPem());
        }

        File.WriteAllBytes(ClientPfx, Client.Export(X509ContentType.Pkcs12, PfxPassword));
    }

    public X509Certificate2 Root { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public string CaPem => _dir.File("company-ca.pem");

    public string ClientPem => _dir.File("client.pem");

    public string ClientKey => _dir.File("client.key");

    public string ClientPfx => _dir.File("client.pfx");

    /// <summary>Whether <paramref name="certificate"/> was signed by this CA (what the origin demands of a client).</summary>
    public bool Signed(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        Root.Dispose();
        Server.Dispose();
        Client.Dispose();
        _dir.Dispose();
    }

    private X509Certificate2 Issue(string subject, bool serverAuth)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            new OidCollection { new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") }, false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        using X509Certificate2 issued = request.Create(Root, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(6), serial);

        // With its key, and through a PFX, so that TLS on every platform can use it.
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
