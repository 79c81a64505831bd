namespace Downloader.Core.Tests.Server;

/// <summary>The base of a test class that needs a <see cref="ProxyLab"/>: started before its tests, stopped by PID after.</summary>
public abstract class ProxyLabTests : IAsyncLifetime
{
    private ProxyLab? _lab;

    protected ProxyLabTests(OriginServer origin)
    {
        Origin = origin;
    }

    protected OriginServer Origin { get; }

    /// <summary>The lab; each test first skips where squid is not installed, so it is there when read.</summary>
    protected ProxyLab Lab => _lab ?? throw new InvalidOperationException("squid is not installed (.ci/run installs it).");

    public async Task InitializeAsync() => _lab = await ProxyLab.StartAsync(Origin.Content);

    public async Task DisposeAsync()
    {
        if (_lab != null)
        {
            await _lab.DisposeAsync();
        }
    }
}
