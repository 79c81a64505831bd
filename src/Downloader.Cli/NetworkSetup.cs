using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using Downloader.Core;
using Downloader.Core.Http;

namespace Downloader.Cli;

/// <summary>
/// Turns <see cref="NetworkArgs"/> into engine options, reading every file (CA, certificate, key, netrc, cookies)
/// before any request: a file that cannot be read stops the run with its name and the cause. No message quotes a
/// password, token or cookie value.
/// </summary>
internal static class NetworkSetup
{
    public static DownloadOptions Apply(DownloadOptions options, NetworkArgs args)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string header in args.Headers)
        {
            int colon = header.IndexOf(':');
            if (colon <= 0)
            {
                // Only the name is quoted: the value may be a token.
                throw new UsageException($"--header '{(colon < 0 ? "(no name)" : header.Substring(0, colon))}...': give it as 'Name: value'.");
            }

            headers[header.Substring(0, colon).Trim()] = header.Substring(colon + 1).Trim();
        }

        NetworkSettings network = options.Network with
        {
            Hints = CredentialHints.Cli,
            BearerToken = args.BearerToken,
            ProxyCredential = args.ProxyUser is string proxyUser ? SplitUser(proxyUser, "--proxy-user", prompt: false) : null,
            ProxyBypass = args.NoProxy?.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(h => h.Trim()).ToArray() ?? Array.Empty<string>(),
            TrustedCertificateAuthorities = args.CaCert is string ca ? CertificateFiles.Authorities(ca) : new(),
            ClientCertificates = args.Cert is string cert ? new() { CertificateFiles.Client(cert, args.Key, args.CertPassword) } : new(),
            Netrc = ReadNetrc(args),
            Cookies = args.CookieFile is string cookies ? Read("cookie file", cookies, NetscapeCookieFile.Read) : args.CookieJar != null ? new CookieContainer() : null,
        };
        options = options with
        {
            Headers = headers,
            UserAgent = args.UserAgent ?? options.UserAgent,
            Credential = args.User is string user ? SplitUser(user, "--user", prompt: true) : null,
            Proxy = args.Proxy is string proxy ? ParseProxy(proxy) : null,
            Network = network,
        };
        if (ProxyChoice.Problem(options) is string problem)
        {
            throw new UsageException(problem.Replace("-NoProxy", "--noproxy").Replace("-Proxy", "--proxy"));
        }

        return options;
    }

    private static Uri ParseProxy(string text)
    {
        // curl takes "host:port" too; http:// is what that means.
        string url = text.Contains("://") ? text : "http://" + text;
        return Uri.TryCreate(url, UriKind.Absolute, out Uri? proxy)
            ? proxy
            : throw new UsageException($"--proxy '{UserInfo.Redact(text)}' is not a URL.");
    }

    private static NetworkCredential SplitUser(string value, string option, bool prompt)
    {
        int colon = value.IndexOf(':');
        if (colon >= 0)
        {
            return new NetworkCredential(value.Substring(0, colon), value.Substring(colon + 1));
        }

        if (!prompt)
        {
            throw new UsageException($"{option} takes USER:PASSWORD.");
        }

        return new NetworkCredential(value, PasswordPrompt.Ask($"Enter host password for user '{value}': ", option));
    }

    private static NetrcFile? ReadNetrc(NetworkArgs args)
    {
        if (args.NetrcFile != null)
        {
            return Read("netrc file", args.NetrcFile, NetrcFile.Read);
        }

        if (!args.Netrc)
        {
            return null;
        }

        string? path = NetrcFile.DefaultPath();
        return path != null ? Read("netrc file", path, NetrcFile.Read) : throw new UsageException("--netrc: there is no .netrc in the home folder.");
    }

    /// <summary>Reads one input file; any failure names the file, says what it was for and why.</summary>
    public static T Read<T>(string what, string path, Func<string, T> reader)
    {
        try
        {
            return reader(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new UsageException($"cannot read the {what} '{path}': {e.Message}");
        }
    }
}
