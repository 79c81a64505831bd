using System;
using System.Net;
using System.Net.Http;

namespace Downloader.Core.Http;

/// <summary>
/// Builds the one HttpClient a <see cref="DownloadClient"/> uses, on a handler of our own: redirects are followed by
/// <see cref="RequestSender"/> so credentials never leak to another host, nothing is decompressed behind our back, and
/// the per-host connection limit is ours, not Windows PowerShell's default of 2.
/// </summary>
/// <remarks>
/// A plain <see cref="HttpClient"/> on one handler for the client's life. Microsoft.Extensions.Http's factory, used
/// before, built a service container to make that same client (its handler's lifetime was infinite, its loggers
/// removed), and loaded eleven assemblies for it (Microsoft.Extensions.*): 2-3 MiB of peak memory in every CLI run
/// and in every module import.
/// </remarks>
internal static class HttpClientBuilder
{
    /// <summary>The client, and the handler under it, which the owner disposes after the client.</summary>
    public static (HttpClient Client, IDisposable Owner) Create(DownloadOptions options, Priority.SocketWatch sockets)
    {
        HttpMessageHandler handler = CreateHandler(options, sockets);
        return (new HttpClient(handler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan }, handler);
    }

    /// <summary>
    /// HTTP/2 where the runtime has it (.NET Core and later; not .NET Framework, where Windows PowerShell 5.1 runs
    /// the module and only HTTP/1.x exists).
    /// </summary>
    public static readonly bool Http2Available =
        !System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

    /// <summary>A client of its own, for one HTTP/2 lane (see <see cref="ConnectionLanes"/>).</summary>
    public static HttpClient CreateLane(DownloadOptions options, Priority.SocketWatch sockets) =>
        new(CreateHandler(options, sockets), disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    // The pool never holds more connections to a host than the budget lets us use, so a server never sees more.
    private static int MaxPerServer(DownloadOptions options) =>
        Math.Max(1, options.TotalConnections > 0 ? Math.Min(options.TotalConnections, options.MaxConnectionsPerHost) : options.MaxConnectionsPerHost);

    private static HttpMessageHandler CreateHandler(DownloadOptions options, Priority.SocketWatch sockets)
    {
        NetworkSettings network = options.Network;
        IWebProxy? proxy = ProxyChoice.Proxy(options, out bool useProxy);
        ICredentials? proxyCredential = ProxyChoice.Credential(options);
        ICredentials? identity = network.UseDefaultCredentials ? new DefaultIdentity() : null;
        var trust = new CertificateTrust(network.TrustedCertificateAuthorities);
#if NET8_0_OR_GREATER
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = MaxPerServer(options),
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),

            // A response abandoned mid-body (a seek moved its connection, a slow tail was handed over) would otherwise
            // be drained up to 1 MiB to save its connection, holding a pool slot for as long as a slow server takes
            // to send that: a fresh connection is cheaper than waiting.
            MaxResponseDrainSize = 64 * 1024,
            ResponseDrainTimeout = TimeSpan.FromMilliseconds(100),
            UseProxy = useProxy,
            DefaultProxyCredentials = proxy == null ? proxyCredential : null,
            Credentials = identity,

            // Our own sockets, so the Background priority can read the kernel's round-trip times (Priority/TcpRtt.cs).
            ConnectCallback = sockets.ConnectAsync,
        };
        handler.Proxy = proxy ?? handler.Proxy;
        handler.SslOptions.ClientCertificates = network.ClientCertificates;
        handler.SslOptions.RemoteCertificateValidationCallback = options.SkipCertificateCheck
            ? (_, _, _, _) => true
            : (_, certificate, _, errors) => trust.Validate(certificate, errors);
        return handler;
#else
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            MaxConnectionsPerServer = MaxPerServer(options),
            UseProxy = useProxy,
            DefaultProxyCredentials = proxy == null ? proxyCredential : null,
            Credentials = identity,
            ClientCertificateOptions = ClientCertificateOption.Manual,
        };
        handler.Proxy = proxy ?? handler.Proxy;
        handler.ClientCertificates.AddRange(network.ClientCertificates);
        handler.ServerCertificateCustomValidationCallback = options.SkipCertificateCheck
            ? (_, _, _, _) => true
            : (_, certificate, _, errors) => trust.Validate(certificate, errors);
        return handler;
#endif
    }
}
