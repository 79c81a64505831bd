using System;
using System.Net;
using System.Text.RegularExpressions;

namespace Downloader.Core.Http;

/// <summary>
/// The <c>user:password@</c> part of a URL: a credential to send (Basic, to that origin only, as curl and wget do),
/// and a secret to keep out of everything shown or stored.
/// </summary>
public static class UserInfo
{
    private const string Mask = "***";

    /// <summary>The credential a URL carries, or null.</summary>
    public static NetworkCredential? Credential(Uri uri)
    {
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }

        // UserInfo is escaped: split on the first literal ':' before unescaping, so a password may hold "%3A".
        string info = uri.UserInfo;
        int colon = info.IndexOf(':');
        string user = Uri.UnescapeDataString(colon < 0 ? info : info.Substring(0, colon));
        string password = colon < 0 ? string.Empty : Uri.UnescapeDataString(info.Substring(colon + 1));
        return new NetworkCredential(user, password);
    }

    /// <summary>The URL without its user information: what goes on the wire as the request target.</summary>
    public static Uri Strip(Uri uri)
    {
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri;
        }

        return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri;
    }

    /// <summary>The URL as it may be shown or stored: a password becomes <c>***</c>; the user name stays.</summary>
    public static string Redact(Uri uri)
    {
        if (!uri.IsAbsoluteUri || string.IsNullOrEmpty(uri.UserInfo))
        {
            return uri.IsAbsoluteUri ? uri.AbsoluteUri : uri.OriginalString;
        }

        string info = uri.UserInfo;
        int colon = info.IndexOf(':');
        string shown = colon < 0 ? info : info.Substring(0, colon) + ":" + Mask;
        string absolute = uri.AbsoluteUri;
        int at = absolute.IndexOf(uri.UserInfo + "@", StringComparison.Ordinal);
        return at < 0 ? absolute : absolute.Substring(0, at) + shown + absolute.Substring(at + uri.UserInfo.Length);
    }

    /// <summary>
    /// Redacts the password of every URL inside a text (an error message may quote the request URI in any of its
    /// forms, escaped or not).
    /// </summary>
    public static string Redact(string text) =>
        text.IndexOf('@') < 0 ? text : PasswordInUrl.Replace(text, "$1:" + Mask + "@");

    /// <summary>A URL's text with its password redacted; the input of a batch item may not even be a valid URL.</summary>
    public static Uri Redacted(Uri uri) => string.IsNullOrEmpty(uri.UserInfo) || !uri.IsAbsoluteUri ? uri : new Uri(Redact(uri));

    // scheme://user:password@ — the user stays, the password goes; nothing that is not a URL's user info matches.
    private static readonly Regex PasswordInUrl = new(@"(?<=[A-Za-z][A-Za-z0-9+.-]*://)([^/?#@:\s]*):[^/?#@\s]*@", RegexOptions.CultureInvariant);
}
