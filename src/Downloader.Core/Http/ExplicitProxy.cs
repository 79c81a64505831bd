using System;
using System.Collections.Generic;
using System.Net;

namespace Downloader.Core.Http;

/// <summary>
/// The proxy the user named, for every host but the ones listed to bypass. Unlike <see cref="WebProxy"/>, it does
/// not skip loopback addresses on its own: a user who names a proxy gets that proxy (as with curl), and the tests can
/// reach a loopback origin through a real proxy.
/// </summary>
internal sealed class ExplicitProxy : IWebProxy
{
    private readonly Uri _address;
    private readonly IReadOnlyList<string> _bypass;

    /// <param name="address">The proxy, without user information (a credential travels in <see cref="Credentials"/>).</param>
    /// <param name="bypass">Host names, ".suffix" domains, or "*" (curl's --noproxy list).</param>
    public ExplicitProxy(Uri address, ICredentials? credentials, IReadOnlyList<string> bypass)
    {
        _address = address;
        _bypass = bypass;
        Credentials = credentials;
    }

    public ICredentials? Credentials { get; set; }

    public Uri GetProxy(Uri destination) => _address;

    public bool IsBypassed(Uri host) => Bypasses(_bypass, host.IdnHost);

    /// <summary>Whether <paramref name="host"/> is on a curl-style no-proxy list: "*", the name, or a domain suffix.</summary>
    public static bool Bypasses(IReadOnlyList<string> list, string host)
    {
        foreach (string raw in list)
        {
            string entry = raw.Trim().TrimStart('.');
            if (entry == "*" || host.Equals(entry, StringComparison.OrdinalIgnoreCase) ||
                host.EndsWith("." + entry, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
