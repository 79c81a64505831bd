using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Downloader.Core.Http;

/// <summary>
/// What a company network asks of a download beyond the URL: proxy credentials, a sign-in, client certificates, a
/// private CA, cookies. Every secret here stays in memory: nothing of it is shown, logged or written to a state file.
/// </summary>
public sealed record NetworkSettings
{
    /// <summary>The proxy's credential (Basic, NTLM or Negotiate, as the proxy asks).</summary>
    public NetworkCredential? ProxyCredential { get; init; }

    /// <summary>Answer the proxy's challenge with the caller's own identity (Windows sign-in, Kerberos ticket).</summary>
    public bool ProxyUseDefaultCredentials { get; init; }

    /// <summary>No proxy at all, not even the system or environment one.</summary>
    public bool NoProxy { get; init; }

    /// <summary>Hosts reached without the proxy (curl's --noproxy): a name, a ".domain" suffix, or "*" for all.</summary>
    public IReadOnlyList<string> ProxyBypass { get; init; } = Array.Empty<string>();

    /// <summary>Sign in to the servers the user named with the caller's identity (Negotiate: Kerberos or NTLM).</summary>
    public bool UseDefaultCredentials { get; init; }

    /// <summary>A bearer token (OAuth 2), sent as <c>Authorization: Bearer</c> to the original origin only.</summary>
    public string? BearerToken { get; init; }

    /// <summary>
    /// Refuse to send a credential, a token or the caller's identity over plain http, as Invoke-WebRequest does
    /// unless -AllowUnencryptedAuthentication is given.
    /// </summary>
    public bool RefuseUnencryptedAuthentication { get; init; }

    /// <summary>Client certificates offered to servers that ask for one (with their private keys).</summary>
    public X509CertificateCollection ClientCertificates { get; init; } = new();

    /// <summary>
    /// CAs trusted for this client only, besides the system's: a server whose chain ends at one of them is accepted
    /// (its name must still match). The machine's trust store is not touched.
    /// </summary>
    public X509Certificate2Collection TrustedCertificateAuthorities { get; init; } = new();

    /// <summary>
    /// Cookies sent and kept by every request of the client (RFC 6265 domain and path rules): a Set-Cookie answer
    /// applies to the batch's later requests. Null: no cookies are sent or kept.
    /// </summary>
    public CookieContainer? Cookies { get; init; }

    /// <summary>Credentials per host, from a .netrc file: used when neither the options nor the URL carry one.</summary>
    public NetrcFile? Netrc { get; init; }

    /// <summary>How the front end names its parameters, so an error can say which one supplies what is missing.</summary>
    public CredentialHints Hints { get; init; } = CredentialHints.PowerShell;

    /// <summary>The hints as a 401 or 407 error should use them: they know whether the caller's identity went to the proxy.</summary>
    internal CredentialHints EffectiveHints => ProxyUseDefaultCredentials ? Hints with { ProxyIdentityGiven = true } : Hints;
}
