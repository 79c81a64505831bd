using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// An HTTPS origin on 127.0.0.1 with a self-signed certificate nobody trusts. It offers HTTP/2 and HTTP/1.1 by ALPN,
/// as nginx with <c>http2 on</c> does, and records the protocol of every request and the TCP connections opened.
/// </summary>
public sealed class TlsOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _protocols = new();
    private int _connectionsOpened;

    /// <param name="plainOrigin">Where /to-http/{key} redirects: an http:// origin, for the downgrade test.</param>
    public TlsOrigin(byte[] content, Uri? plainOrigin = null)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o =>
        {
            o.Protocols = HttpProtocols.Http1AndHttp2;
            o.UseHttps(certificate);
            o.Use(next => connection =>
            {
                Interlocked.Increment(ref _connectionsOpened);
                return next(connection);
            });
        }));
        _app = builder.Build();
        _app.Use((context, next) =>
        {
            _protocols.Enqueue(context.Request.Protocol);
            return next(context);
        });
        _app.MapGet("/file/{key}", c => RangeResponder.ServeAsync(c, content, new ServeOptions()));
        _app.MapGet("/slow/{rate:long}/{key}", c => RangeResponder.ServeAsync(c, content, new ServeOptions { BytesPerSecond = long.Parse((string)c.Request.RouteValues["rate"]!) }));
        _app.MapGet("/to-http/{key}", c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = new Uri(plainOrigin!, $"file/{c.Request.RouteValues["key"]}").AbsoluteUri;
            return Task.CompletedTask;
        });
        _app.StartAsync().GetAwaiter().GetResult();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address + "/");
    }

    public Uri BaseUri { get; }

    /// <summary>The protocol of every request answered ("HTTP/2", "HTTP/1.1").</summary>
    public IReadOnlyCollection<string> Protocols => _protocols.ToArray();

    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
