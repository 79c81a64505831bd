using System.Security.Cryptography.X509Certificates;

namespace Downloader.PowerShell.Commands;

/// <summary>-CertificateThumbprint: a certificate with its private key in the user's personal store, as Invoke-WebRequest finds it.</summary>
internal static class ClientCertificateStore
{
    public static X509Certificate2? Find(string thumbprint)
    {
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // No personal store yet (a fresh Linux account): no certificate in it either.
            return null;
        }

        foreach (X509Certificate2 certificate in store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint.Replace(" ", string.Empty), validOnly: false))
        {
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }
        }

        return null;
    }
}
