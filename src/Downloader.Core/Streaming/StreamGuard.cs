using System;
using System.Net;
using System.Security.Cryptography;

namespace Downloader.Core.Streaming;

/// <summary>
/// Who may read a stream. While it runs, any local process could find the port, and any web page in the user's
/// browser could reach it through DNS rebinding (a name that resolves to 127.0.0.1). So the URL carries a random
/// 128-bit token and only that exact path is served (anything else is 404, naming nothing); and on a loopback bind
/// only the loopback names are accepted in Host (anything else is 421), which a rebinding page cannot send.
/// </summary>
internal sealed class StreamGuard
{
    private readonly string _path;
    private readonly int _port;
    private readonly bool _checkHost;

    public StreamGuard(string fileName, IPAddress address, int port)
    {
        Token = NewToken();
        _path = "/" + Token + "/" + Uri.EscapeDataString(fileName);
        _port = port;

        // Binding another interface on purpose (--bind) means other hosts reach it by other names; the token remains.
        _checkHost = IPAddress.IsLoopback(address);
    }

    /// <summary>The secret path segment: 32 hex digits.</summary>
    public string Token { get; }

    /// <summary>The path a player opens: /TOKEN/NAME.</summary>
    public string Path => _path;

    public bool IsServedPath(string requestPath) =>
        string.Equals(Uri.UnescapeDataString(requestPath), Uri.UnescapeDataString(_path), StringComparison.Ordinal);

    public bool IsAllowedHost(string host)
    {
        if (!_checkHost)
        {
            return true;
        }

        foreach (string name in new[] { "127.0.0.1", "localhost", "[::1]" })
        {
            if (string.Equals(host, name + ":" + _port, StringComparison.OrdinalIgnoreCase) ||
                (_port == 80 && string.Equals(host, name, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private static string NewToken()
    {
        var bytes = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
    }
}
