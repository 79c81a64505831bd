using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;

namespace Downloader.Core.Http;

/// <summary>
/// What a 401 or 407 means for the user: whether credentials were sent and refused, or none were given, and then
/// which parameter supplies them. Never the credential itself.
/// </summary>
internal static class AuthFailures
{
    private const string NoIdentity =
        " Default credentials sign in only where the caller has an identity: a Windows sign-in, or a Kerberos ticket (kinit) on Linux and macOS.";

    // SocketsHttpHandler's words for a refused CONNECT: "The proxy tunnel request to proxy '…' failed with status code '407'."
    private static readonly Regex TunnelRefused = new(@"proxy tunnel.*status code '(\d{3})'", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static string Explain(HttpResponseMessage response, CredentialHints hints)
    {
        HttpRequestMessage? request = response.RequestMessage;
        if ((int)response.StatusCode == 407)
        {
            string proxySchemes = string.Join(", ", response.Headers.ProxyAuthenticate.Select(h => h.Scheme).Distinct());
            return request?.Headers.ProxyAuthorization != null
                ? " The proxy refused the credentials given."
                : $" The proxy asks for credentials{Offered(proxySchemes)}:{NoProxyIdentity(hints)} give them with {hints.Proxy}.";
        }

        string schemes = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.Scheme).Distinct());
        if (request?.Headers.Authorization != null)
        {
            return $" The server refused the credentials given{Offered(schemes)}.";
        }

        bool windows = schemes.IndexOf("Negotiate", System.StringComparison.OrdinalIgnoreCase) >= 0 ||
            schemes.IndexOf("NTLM", System.StringComparison.OrdinalIgnoreCase) >= 0;
        return $" The server asks for credentials{Offered(schemes)}: give them with {hints.Server}.{(windows ? NoIdentity : string.Empty)}";
    }

    public static string ExplainTunnel(int status, CredentialHints hints) =>
        status == 407 ? $" The proxy asks for credentials, or refused the ones given:{NoProxyIdentity(hints)} give them with {hints.Proxy}." : string.Empty;

    /// <summary>The status of a refused CONNECT, or null when the failure is something else.</summary>
    public static int? TunnelStatus(HttpRequestException exception)
    {
        Match match = TunnelRefused.Match(exception.Message);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    // -ProxyUseDefaultCredentials was given and the proxy still wants credentials: say why the identity did not do.
    private static string NoProxyIdentity(CredentialHints hints) => hints.ProxyIdentityGiven
        ? $" {hints.ProxyIdentity} was given, but the caller's identity answers only a Negotiate or NTLM proxy, and only where the caller has one (a Windows sign-in, or a Kerberos ticket from kinit on Linux and macOS);"
        : string.Empty;

    private static string Offered(string schemes) => schemes.Length == 0 ? string.Empty : $" (it offers {schemes})";
}
