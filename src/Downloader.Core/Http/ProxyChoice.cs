using System;
using System.Net;
using System.Net.Http;

namespace Downloader.Core.Http;

/// <summary>
/// Which proxy a client uses and with which credential: none (<see cref="NetworkSettings.NoProxy"/>), the one named
/// (its <c>user:password@</c> is its credential), or the system or environment one (HTTP_PROXY, HTTPS_PROXY,
/// NO_PROXY, the Windows settings), which <see cref="NetworkSettings.ProxyCredential"/> signs in to as well.
/// </summary>
public static class ProxyChoice
{
    /// <summary>A contradiction in the proxy settings, said so the user can fix it; null when they are coherent.</summary>
    public static string? Problem(DownloadOptions options)
    {
        NetworkSettings network = options.Network;
        if (network.NoProxy && options.Proxy != null)
        {
            return "-NoProxy and -Proxy contradict each other: give one.";
        }

        if (options.Proxy != null && !string.IsNullOrEmpty(options.Proxy.UserInfo) && (network.ProxyCredential != null || network.ProxyUseDefaultCredentials))
        {
            return $"The proxy '{UserInfo.Redact(options.Proxy)}' carries a user name and password, and a proxy credential was given too: give the credential once.";
        }

        if (options.Proxy != null && options.Proxy.Scheme != Uri.UriSchemeHttp && options.Proxy.Scheme != Uri.UriSchemeHttps)
        {
            return $"The proxy '{UserInfo.Redact(options.Proxy)}' is not an http:// or https:// URL.";
        }

        return null;
    }

    /// <summary>The proxy to set on a handler, or null for the system one; <paramref name="useProxy"/> false for none.</summary>
    internal static IWebProxy? Proxy(DownloadOptions options, out bool useProxy)
    {
        NetworkSettings network = options.Network;
        useProxy = !network.NoProxy;
        if (network.NoProxy)
        {
            return null;
        }

        if (options.Proxy != null)
        {
            return new ExplicitProxy(UserInfo.Strip(options.Proxy), Credential(options), network.ProxyBypass);
        }

#if NET8_0_OR_GREATER
        if (network.ProxyBypass.Count > 0)
        {
            return new BypassingProxy(HttpClient.DefaultProxy, network.ProxyBypass);
        }
#endif
        return null;
    }

    /// <summary>The credential for the proxy in use: the one given, the named proxy's user info, or the caller's identity.</summary>
    internal static ICredentials? Credential(DownloadOptions options)
    {
        NetworkSettings network = options.Network;
        if (network.ProxyCredential != null)
        {
            return network.ProxyCredential;
        }

        if (options.Proxy != null && UserInfo.Credential(options.Proxy) is NetworkCredential inUrl)
        {
            return inUrl;
        }

        return network.ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : null;
    }
}
