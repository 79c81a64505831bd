using System.Collections.Generic;
using System.Linq;
using Downloader.Core.Http;

namespace Downloader.Core.Queue;

/// <summary>
/// What a queue cannot keep. The queue is plain files under the user's folder, read by any process of the user (and
/// by a backup); so an item that carries a secret (a URL password, a credential, a token, a secret header, a client
/// certificate, cookies), or a setting that lives only in the caller's process, is refused before anything is
/// written, with an error naming the item and the setting.
/// </summary>
public static class PersistCheck
{
    /// <summary>Null when the item can be queued; else why not, naming the item.</summary>
    public static string? Refusal(DownloadRequest request, DownloadOptions options)
    {
        string? what = Problems(request, options).FirstOrDefault();
        return what == null
            ? null
            : $"'{UserInfo.Redact(request.Uri)}': the download queue cannot keep an item with {what}: its plain files would hold it in clear. Download it directly instead (without -Persist or 'queue add').";
    }

    private static IEnumerable<string> Problems(DownloadRequest request, DownloadOptions options)
    {
        if (HasPassword(request.Uri.UserInfo) || request.Mirrors.Any(m => HasPassword(m.UserInfo)))
        {
            yield return "a password in its URL";
        }

        if (options.Credential != null)
        {
            yield return "a credential (-Credential)";
        }

        if (options.Headers.Keys.FirstOrDefault(CredentialHeaders.IsCredential) is string header)
        {
            yield return $"a secret header ({header})";
        }

        if ((options.Proxy != null && options.Proxy.UserInfo.Length > 0) || options.Network.ProxyCredential != null)
        {
            yield return "a proxy credential";
        }

        foreach (string setting in NetworkProblems(options.Network))
        {
            yield return setting;
        }

        if (options.Checksums != null || request.InMemory)
        {
            yield return "a setting that lives in this session only (-ChecksumFile or -InMemory)";
        }
    }

    private static IEnumerable<string> NetworkProblems(NetworkSettings network)
    {
        if (network.BearerToken != null)
        {
            yield return "a token (-Token)";
        }

        if (network.ClientCertificates.Count > 0)
        {
            yield return "a client certificate";
        }

        if (network.Cookies != null && network.Cookies.Count > 0)
        {
            yield return "cookies (a web session)";
        }

        if (network.UseDefaultCredentials || network.ProxyUseDefaultCredentials || network.TrustedCertificateAuthorities.Count > 0 || network.Netrc != null)
        {
            yield return "sign-in or trust settings (-UseDefaultCredentials, -ProxyUseDefaultCredentials, -TrustedCertificateAuthority, netrc)";
        }
    }

    private static bool HasPassword(string userInfo) => userInfo.IndexOf(':') >= 0;
}
