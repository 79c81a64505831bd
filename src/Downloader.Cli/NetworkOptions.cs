using System;
using System.CommandLine;

namespace Downloader.Cli;

/// <summary>
/// The command line's options for company networks, with curl's names: headers, sign-in, proxy, certificates,
/// netrc and cookies. They apply to every URL of the run, a list's lines included.
/// </summary>
internal sealed class NetworkOptions
{
    /// <summary>Where a token can wait, so it stays off the command line (and out of `ps`).</summary>
    public const string BearerVariable = "DOWNLOADER_OAUTH2_BEARER";

    /// <summary>Where the password of --cert's PFX or encrypted PEM key can wait, off the command line.</summary>
    public const string CertPasswordVariable = "DOWNLOADER_CERT_PASSWORD";

    private readonly Option<string[]> _header = new("--header", "-H") { Description = "Extra request header 'Name: value' (repeatable). Authorization and Cookie go to the original host only." };
    private readonly Option<string?> _userAgent = new("--user-agent", "-A") { Description = "The User-Agent to send." };
    private readonly Option<string?> _user = new("--user", "-u") { Description = "USER[:PASSWORD] for Basic sign-in to the original host; without :PASSWORD it is asked for on the terminal." };
    private readonly Option<string?> _bearer = new("--oauth2-bearer") { Description = $"A bearer token for the original host; or set {BearerVariable} to keep it off the command line." };
    private readonly Option<string?> _proxy = new("--proxy") { Description = "Proxy URL for every request (http://[user:password@]host:port); default: HTTP_PROXY/HTTPS_PROXY/NO_PROXY." };
    private readonly Option<string?> _proxyUser = new("--proxy-user") { Description = "USER:PASSWORD for the proxy." };
    private readonly Option<string?> _noProxy = new("--noproxy") { Description = "Comma-separated hosts (or .domains, or *) reached without the proxy." };
    private readonly Option<string?> _caCert = new("--cacert") { Description = "PEM or DER file of CA certificates to trust for this run, besides the system's." };
    private readonly Option<string?> _cert = new("--cert") { Description = $"Client certificate: FILE[:PASSWORD], PEM (key inside or in --key) or PFX; or set {CertPasswordVariable} to keep the password off the command line." };
    private readonly Option<string?> _key = new("--key") { Description = $"The PEM private key of --cert; an encrypted one's password goes after --cert's FILE: or in {CertPasswordVariable}." };
    private readonly Option<bool> _netrc = new("--netrc") { Description = "Take user and password for each host from ~/.netrc." };
    private readonly Option<string?> _netrcFile = new("--netrc-file") { Description = "Take user and password for each host from this netrc file." };
    private readonly Option<string?> _cookie = new("--cookie", "-b") { Description = "Send cookies from this file (Netscape format, as curl and browser exporters write)." };
    private readonly Option<string?> _cookieJar = new("--cookie-jar", "-c") { Description = "Write every cookie known at the end to this file (Netscape format)." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _header, _userAgent, _user, _bearer, _proxy, _proxyUser, _noProxy, _caCert, _cert, _key, _netrc, _netrcFile, _cookie, _cookieJar })
        {
            command.Options.Add(option);
        }
    }

    public NetworkArgs Read(ParseResult parse) => new()
    {
        Headers = parse.GetValue(_header) ?? Array.Empty<string>(),
        UserAgent = parse.GetValue(_userAgent),
        User = parse.GetValue(_user),
        BearerToken = parse.GetValue(_bearer) ?? NonEmpty(Environment.GetEnvironmentVariable(BearerVariable)),
        Proxy = parse.GetValue(_proxy),
        ProxyUser = parse.GetValue(_proxyUser),
        NoProxy = parse.GetValue(_noProxy),
        CaCert = parse.GetValue(_caCert),
        Cert = parse.GetValue(_cert),
        Key = parse.GetValue(_key),
        CertPassword = NonEmpty(Environment.GetEnvironmentVariable(CertPasswordVariable)),
        Netrc = parse.GetValue(_netrc),
        NetrcFile = parse.GetValue(_netrcFile),
        CookieFile = parse.GetValue(_cookie),
        CookieJar = parse.GetValue(_cookieJar),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
