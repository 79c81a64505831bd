using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Downloader.Core.Http;

/// <summary>
/// Accepts a server certificate the system trusts, or one whose chain ends at a CA the user gave for this client
/// only; the name must match either way. The machine's trust store is never changed.
/// </summary>
internal sealed class CertificateTrust
{
    private readonly X509Certificate2Collection _authorities;

    public CertificateTrust(X509Certificate2Collection authorities)
    {
        _authorities = authorities;
    }

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain can be fixed by our CAs; a wrong name or a missing certificate cannot.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate == null || _authorities.Count == 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.ExtraStore.AddRange(_authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
        using var server = new X509Certificate2(certificate);
        if (!chain.Build(server))
        {
            return false;
        }

        // Built with an unknown root allowed: accept only when that root is one of ours.
        X509Certificate2 root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
        foreach (X509Certificate2 authority in _authorities)
        {
            if (authority.Thumbprint == root.Thumbprint)
            {
                return true;
            }
        }

        return false;
    }
}
