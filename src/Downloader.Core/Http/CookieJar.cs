using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;

namespace Downloader.Core.Http;

/// <summary>
/// Cookies for the requests of a client, kept by <see cref="CookieContainer"/> (domain, path, secure and expiry
/// rules): what a server sets applies to every later request it matches, including the batch's other items.
/// </summary>
internal static class CookieJar
{
    public static void Send(CookieContainer? cookies, Uri uri, HttpRequestMessage request)
    {
        string? header = cookies?.GetCookieHeader(UserInfo.Strip(uri));
        if (!string.IsNullOrEmpty(header))
        {
            request.Headers.TryAddWithoutValidation("Cookie", header);
        }
    }

    public static void Keep(CookieContainer? cookies, Uri uri, HttpResponseMessage response)
    {
        if (cookies == null || !response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values))
        {
            return;
        }

        foreach (string value in values)
        {
            try
            {
                cookies.SetCookies(UserInfo.Strip(uri), value);
            }
            catch (CookieException)
            {
                // A cookie the rules reject (another domain, a bad attribute) is dropped, as a browser drops it.
            }
        }
    }
}
