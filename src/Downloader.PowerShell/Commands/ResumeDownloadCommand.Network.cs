using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using Downloader.Core.Http;

namespace Downloader.PowerShell.Commands;

/// <summary>
/// The company-network parameters, for -Path only. A state file keeps no proxy password, credential, token, cookie
/// or certificate, so a resume from disk takes them again, and its 401 or 407 error says so.
/// </summary>
public sealed partial class ResumeDownloadCommand
{
    private static readonly CredentialHints ResumeHints = new(
        CredentialHints.PowerShell.Proxy + "; a state file keeps none, so give them again",
        CredentialHints.PowerShell.Server + "; a state file keeps none, so give them again");

    [Parameter(ParameterSetName = PathSet)]
    [Credential]
    public override PSCredential? ProxyCredential { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SwitchParameter ProxyUseDefaultCredentials { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SwitchParameter NoProxy { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SwitchParameter UseDefaultCredentials { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override DownloadAuthentication Authentication { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SecureString? Token { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override SwitchParameter AllowUnencryptedAuthentication { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override X509Certificate? Certificate { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override string? CertificateThumbprint { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override X509Certificate2[]? TrustedCertificateAuthority { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    public override PSObject? WebSession { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Alias("SV")]
    public override string? SessionVariable { get; set; }
}
