using System;
using System.Collections.Generic;

namespace Downloader.Cli;

/// <summary>The company-network options of the command line, as typed (files not read yet); curl's names.</summary>
internal sealed class NetworkArgs
{
    public IReadOnlyList<string> Headers { get; init; } = Array.Empty<string>();

    public string? UserAgent { get; init; }

    /// <summary>-u USER[:PASS]; a missing password is asked for on a terminal.</summary>
    public string? User { get; init; }

    /// <summary>--oauth2-bearer, else the DOWNLOADER_OAUTH2_BEARER environment variable.</summary>
    public string? BearerToken { get; init; }

    public string? Proxy { get; init; }

    public string? ProxyUser { get; init; }

    public string? NoProxy { get; init; }

    public string? CaCert { get; init; }

    /// <summary>--cert FILE[:PASSWORD]: PEM (with --key, or its key inside) or PFX.</summary>
    public string? Cert { get; init; }

    public string? Key { get; init; }

    /// <summary>The DOWNLOADER_CERT_PASSWORD environment variable: used when --cert has no :PASSWORD.</summary>
    public string? CertPassword { get; init; }

    public bool Netrc { get; init; }

    public string? NetrcFile { get; init; }

    public string? CookieFile { get; init; }

    public string? CookieJar { get; init; }
}
