using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Downloader.Core;
using Downloader.Core.Http;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// The company-network parameters every downloading cmdlet shares, with Invoke-WebRequest's names and meanings
/// (PowerShell 7.4): proxy, sign-in, certificates and the web session. Contradictions are refused before any request.
/// </summary>
public abstract partial class DownloadCmdletBase
{
    #region Parameters

    /// <summary>The proxy's credential. Also signs in to the system or environment proxy when -Proxy is not given.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter ProxyUseDefaultCredentials { get; set; }

    /// <summary>No proxy, not even the system or environment one.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter NoProxy { get; set; }

    /// <summary>Sign in with the caller's identity (Negotiate: Kerberos or NTLM) to the URL's origin only.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter UseDefaultCredentials { get; set; }

    [Parameter(ParameterSetName = DownloadSet)]
    public DownloadAuthentication Authentication { get; set; }

    /// <summary>The token for -Authentication Bearer or OAuth.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public SecureString? Token { get; set; }

    /// <summary>Send credentials, a token or the caller's identity over plain http, which is refused otherwise.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>A client certificate (with its private key) for servers that ask for one.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public X509Certificate? Certificate { get; set; }

    /// <summary>A client certificate from the user's personal store (Cert:\CurrentUser\My), by thumbprint.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public string? CertificateThumbprint { get; set; }

    /// <summary>
    /// CA certificates trusted for this command only, besides the system's (a company CA); the machine's store is not
    /// touched. A path converts: -TrustedCertificateAuthority ./company-ca.pem.
    /// </summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public X509Certificate2[]? TrustedCertificateAuthority { get; set; }

    /// <summary>An Invoke-WebRequest session (-SessionVariable): its cookies, headers, user agent, credentials, certificates and proxy.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    public PSObject? WebSession { get; set; }

    /// <summary>A variable to receive a session that Invoke-WebRequest can use afterwards, with the cookies set meanwhile.</summary>
    [Parameter(ParameterSetName = DownloadSet)]
    [Alias("SV")]
    public string? SessionVariable { get; set; }

    #endregion

    /// <summary>The network settings over <paramref name="options"/>, after the session's; terminating on a contradiction.</summary>
    private DownloadOptions ApplyNetwork(DownloadOptions options)
    {
        options = WebSessions.Apply(options, WebSession, IsBound(nameof(Headers)), UserAgent != null);
        NetworkSettings network = options.Network with
        {
            ProxyCredential = ProxyCredential?.GetNetworkCredential() ?? options.Network.ProxyCredential,
            ProxyUseDefaultCredentials = ProxyUseDefaultCredentials,
            NoProxy = NoProxy,
            UseDefaultCredentials = UseDefaultCredentials || options.Network.UseDefaultCredentials,
            BearerToken = BearerToken(),
            RefuseUnencryptedAuthentication = !AllowUnencryptedAuthentication,
            TrustedCertificateAuthorities = TrustedCertificateAuthority != null ? new X509Certificate2Collection(TrustedCertificateAuthority) : options.Network.TrustedCertificateAuthorities,
            Cookies = options.Network.Cookies ?? new CookieContainer(),
        };
        AddClientCertificates(network.ClientCertificates);
        options = options with { Network = network };
        if (ProxyChoice.Problem(options) is string problem)
        {
            Refuse(problem, nameof(Proxy));
        }

        if (Authentication == DownloadAuthentication.Basic && options.Credential == null)
        {
            Refuse("-Authentication Basic needs -Credential.", nameof(Authentication));
        }

        if (UseDefaultCredentials && (Credential != null || Token != null))
        {
            Refuse("-UseDefaultCredentials signs in as the caller: it cannot be combined with -Credential or -Token.", nameof(UseDefaultCredentials));
        }

        return options;
    }

    private string? BearerToken()
    {
        bool bearer = Authentication is DownloadAuthentication.Bearer or DownloadAuthentication.OAuth;
        if (bearer != (Token != null))
        {
            Refuse(bearer ? $"-Authentication {Authentication} needs -Token." : "-Token needs -Authentication Bearer or OAuth.", nameof(Token));
        }

        return Token == null ? null : new NetworkCredential(string.Empty, Token).Password;
    }

    private void AddClientCertificates(X509CertificateCollection certificates)
    {
        if (Certificate != null)
        {
            certificates.Add(Certificate);
        }

        if (CertificateThumbprint != null)
        {
            certificates.Add(ClientCertificateStore.Find(CertificateThumbprint)
                ?? Refuse<X509Certificate>($"No certificate with thumbprint '{CertificateThumbprint}' and a private key in Cert:\\CurrentUser\\My.", nameof(CertificateThumbprint)));
        }
    }

    private void Refuse(string message, string parameter) => Refuse<object>(message, parameter);

    private T Refuse<T>(string message, string parameter)
    {
        ThrowTerminatingError(new ErrorRecord(new ArgumentException(message, parameter), "Downloader.InvalidNetworkParameters", ErrorCategory.InvalidArgument, parameter));
        throw new InvalidOperationException(message);
    }

    /// <summary>Hands -SessionVariable its session: what this command used, with the cookies it gathered.</summary>
    private void PublishSession(DownloadOptions options)
    {
        if (SessionVariable != null)
        {
            SessionState.PSVariable.Set(SessionVariable.TrimStart('$'), WebSessions.Create(options));
        }
    }
}
