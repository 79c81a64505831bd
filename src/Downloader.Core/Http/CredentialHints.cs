namespace Downloader.Core.Http;

/// <summary>
/// The names, in the front end the user typed, of what supplies each missing credential: an HTTP 401 or 407 error
/// names them, so the user knows what to give.
/// </summary>
public sealed record CredentialHints(string Proxy, string Server)
{
    public static readonly CredentialHints PowerShell = new("-ProxyCredential (or -ProxyUseDefaultCredentials)", "-Credential, -Token or -UseDefaultCredentials");

    public static readonly CredentialHints Cli = new("--proxy-user (or user:password@ in --proxy)", "--user, --oauth2-bearer or --netrc");
}
