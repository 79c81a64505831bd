using System;

namespace Downloader.Core.Http;

/// <summary>
/// Which request headers carry a secret. Those go to the original origin only (never after a redirect to another)
/// and are never written to disk. The rule: the standard credential headers, and any header whose name says it holds
/// a token, key, secret, password, signature, session or auth value (X-Api-Key, X-Auth-Token, X-Amz-Security-Token…).
/// </summary>
public static class CredentialHeaders
{
    private static readonly string[] Exact = { "Authorization", "Proxy-Authorization", "Cookie" };
    private static readonly string[] Hints = { "token", "key", "secret", "password", "passwd", "signature", "session", "auth", "credential" };

    public static bool IsCredential(string name)
    {
        foreach (string exact in Exact)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (string hint in Hints)
        {
            if (name.IndexOf(hint, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
