using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Downloader.Core.Tests.Server;

/// <summary>
/// An HTTPS origin whose certificate comes from a <see cref="PrivateCa"/> (trusted by nobody but a client told to),
/// with one endpoint that serves only a client presenting a certificate that CA signed.
/// </summary>
public sealed class PrivateCaOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;

    public PrivateCaOrigin(PrivateCa ca, byte[] content)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.UseHttps(https =>
        {
            https.ServerCertificate = ca.Server;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;

            // The endpoint decides; the handshake takes any certificate (or none).
            https.ClientCertificateValidation = (_, _, _) => true;
        })));
        _app = builder.Build();
        _app.MapGet("/file/{key}", c => RangeResponder.ServeAsync(c, content, new ServeOptions()));
        _app.MapGet("/client-cert/{key}", c => c.Connection.ClientCertificate is { } presented && ca.Signed(presented)
            ? RangeResponder.ServeAsync(c, content, new ServeOptions())
            : Forbidden(c.Response));
        _app.StartAsync().GetAwaiter().GetResult();
        string address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address + "/");
    }

    public Uri BaseUri { get; }

    public Uri Url(string relative) => new(BaseUri, relative);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Task Forbidden(HttpResponse response)
    {
        response.StatusCode = 403;
        return Task.CompletedTask;
    }
}
