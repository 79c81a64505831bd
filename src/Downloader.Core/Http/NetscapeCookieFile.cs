using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;

namespace Downloader.Core.Http;

/// <summary>
/// The Netscape cookie file that curl, wget and browser exporters write: one cookie a line, TAB-separated
/// (domain, include subdomains, path, secure, expiry in Unix seconds, name, value), "#HttpOnly_" before an HttpOnly
/// cookie's domain, other "#" lines comments. Its values are secrets: the file is written for the user only.
/// </summary>
public static class NetscapeCookieFile
{
    private const string HttpOnlyPrefix = "#HttpOnly_";

    public static CookieContainer Read(string path)
    {
        var cookies = new CookieContainer();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            bool httpOnly = line.StartsWith(HttpOnlyPrefix, StringComparison.Ordinal);
            if (line.Trim().Length == 0 || (line.StartsWith("#", StringComparison.Ordinal) && !httpOnly))
            {
                continue;
            }

            string[] fields = (httpOnly ? line.Substring(HttpOnlyPrefix.Length) : line).Split('\t');
            if (fields.Length != 7 || !long.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out long expiry))
            {
                // The line number only: the line holds a cookie's value.
                throw new FormatException($"line {number} is not a Netscape cookie line (7 TAB-separated fields).");
            }

            DateTime expires = expiry == 0 ? DateTime.MinValue : DateTimeOffset.FromUnixTimeSeconds(expiry).UtcDateTime;
            if (expiry != 0 && expires < DateTime.UtcNow)
            {
                continue;
            }

            // TRUE in the second field: the domain's subdomains too, which a leading dot says to CookieContainer.
            string domain = fields[1] == "TRUE" && !fields[0].StartsWith(".", StringComparison.Ordinal) ? "." + fields[0] : fields[0];
            cookies.Add(new Cookie(fields[5], fields[6], fields[2], domain)
            {
                Secure = fields[3] == "TRUE",
                HttpOnly = httpOnly,
                Expires = expires,
            });
        }

        return cookies;
    }

    /// <summary>Writes <paramref name="cookies"/> to a new file that only the user may read, replacing an older one whole.</summary>
    public static void Write(string path, IEnumerable<Cookie> cookies)
    {
        var text = new StringBuilder("# Netscape HTTP Cookie File\n# Written by downloader. Holds secrets: keep it private.\n\n");
        foreach (Cookie cookie in cookies.Where(c => !c.Expired))
        {
            long expiry = cookie.Expires == DateTime.MinValue ? 0 : new DateTimeOffset(cookie.Expires.ToUniversalTime()).ToUnixTimeSeconds();
            bool subdomains = cookie.Domain.StartsWith(".", StringComparison.Ordinal);
            text.Append(cookie.HttpOnly ? HttpOnlyPrefix : string.Empty).Append(cookie.Domain).Append('\t')
                .Append(subdomains ? "TRUE" : "FALSE").Append('\t').Append(cookie.Path).Append('\t')
                .Append(cookie.Secure ? "TRUE" : "FALSE").Append('\t').Append(expiry.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(cookie.Name).Append('\t').Append(cookie.Value).Append('\n');
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString());
        Storage.OwnerOnly.Apply(temporary);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        File.Move(temporary, path);
    }
}
