using System;
using System.Collections.Generic;
using System.Net;

namespace Downloader.Core.Http;

/// <summary>The system or environment proxy, with the hosts of a curl-style --noproxy list reached directly.</summary>
internal sealed class BypassingProxy : IWebProxy
{
    private readonly IWebProxy _inner;
    private readonly IReadOnlyList<string> _bypass;

    public BypassingProxy(IWebProxy inner, IReadOnlyList<string> bypass)
    {
        _inner = inner;
        _bypass = bypass;
    }

    public ICredentials? Credentials
    {
        get => _inner.Credentials;
        set => _inner.Credentials = value;
    }

    public Uri? GetProxy(Uri destination) => _inner.GetProxy(destination);

    public bool IsBypassed(Uri host) => ExplicitProxy.Bypasses(_bypass, host.IdnHost) || _inner.IsBypassed(host);
}
