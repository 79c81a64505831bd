using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;

namespace Downloader.Cli;

/// <summary>
/// Loads --cacert and --cert/--key files as curl takes them: CA bundles in PEM (or one DER certificate), client
/// certificates in PEM (key inside, or in --key, possibly encrypted) or PFX. Errors name the file, never the password.
/// </summary>
internal static class CertificateFiles
{
    public static X509Certificate2Collection Authorities(string path) =>
        NetworkSetup.Read("CA file", path, file =>
        {
            var authorities = new X509Certificate2Collection();
            if (File.ReadAllText(file).Contains("-----BEGIN CERTIFICATE-----"))
            {
                authorities.ImportFromPemFile(file);
            }
            else
            {
                authorities.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }

            // A PEM whose blocks do not decode imports nothing, silently: an empty trust list is an error, not a no-op.
            return authorities.Count > 0 ? authorities : throw new FormatException("it holds no readable certificate.");
        });

    /// <param name="cert">FILE or FILE:PASSWORD (the password of a PFX, or of an encrypted PEM key).</param>
    /// <param name="passwordVariable">The password from the environment, used when FILE has none after it.</param>
    public static X509Certificate2 Client(string cert, string? key, string? passwordVariable)
    {
        (string file, string? given) = SplitPassword(cert);
        string? password = given ?? passwordVariable;
        if (key != null)
        {
            // Named first, so an unreadable key is reported as the key, not as the certificate.
            NetworkSetup.Read("key file", key, File.ReadAllBytes);
        }

        X509Certificate2 loaded = NetworkSetup.Read("certificate file", file, path =>
        {
            if (!File.ReadAllText(path).Contains("-----BEGIN"))
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password);
            }

            // The environment's password is offered to every run: an unencrypted key is read as it is.
            bool encrypted = File.ReadAllText(key ?? path).Contains("ENCRYPTED");
            if (encrypted && password == null)
            {
                throw new FormatException($"its key is encrypted: give the password as --cert FILE:PASSWORD or in {NetworkOptions.CertPasswordVariable}.");
            }

            X509Certificate2 pem = password == null || !encrypted
                ? X509Certificate2.CreateFromPemFile(path, key)
                : X509Certificate2.CreateFromEncryptedPemFile(path, password, key);

            // A PEM key lives only in memory; Windows' TLS needs it in a key container, which a PFX round trip gives.
            using (pem)
            {
                return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
        });
        return loaded.HasPrivateKey ? loaded : throw new UsageException($"the certificate file '{file}' has no private key: give it with --key.");
    }

    // "C:\certs\me.pfx" holds a colon that is no password separator: a path that exists is taken whole.
    private static (string File, string? Password) SplitPassword(string value)
    {
        int colon = value.LastIndexOf(':');
        return File.Exists(value) || colon <= 1 ? (value, null) : (value.Substring(0, colon), value.Substring(colon + 1));
    }
}
