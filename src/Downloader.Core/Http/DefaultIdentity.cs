using System;
using System.Net;
using System.Threading;

namespace Downloader.Core.Http;

/// <summary>
/// The caller's own identity (Windows sign-in, Kerberos ticket) for Negotiate and NTLM, given only to a request for
/// an origin the user named: the handler answers a challenge from any host it talks to, so <see cref="RequestSender"/>
/// marks each request it sends, and a redirect to another host gets nothing.
/// </summary>
internal sealed class DefaultIdentity : ICredentials
{
    private static readonly AsyncLocal<bool> Allowed = new();

    /// <summary>Whether the request being sent on this flow may carry the caller's identity.</summary>
    public static bool AllowedHere
    {
        get => Allowed.Value;
        set => Allowed.Value = value;
    }

    public NetworkCredential? GetCredential(Uri uri, string authType) =>
        AllowedHere ? CredentialCache.DefaultNetworkCredentials : null;
}
