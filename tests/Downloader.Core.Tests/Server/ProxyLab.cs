namespace Downloader.Core.Tests.Server;

/// <summary>A real squid requiring Basic auth and a TLS origin behind it, for the proxy tests of the engine, CLI and module.</summary>
public sealed class ProxyLab : IAsyncDisposable
{
    private ProxyLab(SquidProxy squid, TlsOrigin tls)
    {
        Squid = squid;
        Tls = tls;
    }

    public SquidProxy Squid { get; }

    public TlsOrigin Tls { get; }

    /// <summary>Starts both, or returns null where squid is not installed (the tests then skip and say why).</summary>
    public static async Task<ProxyLab?> StartAsync(byte[] content) =>
        SquidProxy.Installed ? new ProxyLab(await SquidProxy.StartAsync(), new TlsOrigin(content)) : null;

    public async ValueTask DisposeAsync()
    {
        await Squid.DisposeAsync();
        await Tls.DisposeAsync();
    }
}
