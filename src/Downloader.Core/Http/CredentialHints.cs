namespace Downloader.Core.Http;

/// <summary>
/// The names, in the front end the user typed, of what supplies each missing credential: an HTTP 401 or 407 error
/// names them, so the user knows what to give.
/// </summary>
public sealed record CredentialHints(string Proxy, string Server)
{
    /// <summary>The front end's name for "use the caller's identity with the proxy".</summary>
    public string ProxyIdentity { get; init; } = "-ProxyUseDefaultCredentials";

    /// <summary>True when the caller's identity was offered to the proxy: a 407 then says why it was not enough.</summary>
    public bool ProxyIdentityGiven { get; init; }

    public static readonly CredentialHints PowerShell = new("-ProxyCredential (or -ProxyUseDefaultCredentials)", "-Credential, -Token or -UseDefaultCredentials");

    public static readonly CredentialHints Cli = new("--proxy-user (or user:password@ in --proxy)", "--user, --oauth2-bearer or --netrc");
}
