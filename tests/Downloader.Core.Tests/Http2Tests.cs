using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>HTTP/2 where TLS offers it, with one TCP connection per planned connection, and the protocol shown.</summary>
[Collection(OriginCollection.Name)]
public sealed class Http2Tests
{
    private readonly OriginServer _origin;

    public Http2Tests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task A_server_offering_h2_over_tls_is_spoken_to_in_http2_over_several_tcp_connections()
    {
        await using var tls = new TlsOrigin(_origin.Content);
        using var dir = new TempDirectory();
        string key = TestData.Key();
        var options = DownloadHarness.FastOptions(connections: 4) with { SkipCertificateCheck = true };

        // Throttled per response, so the connections overlap and each needs a TCP connection of its own.
        DownloadResult result = await DownloadHarness.DownloadAsync(new Uri(tls.BaseUri, $"slow/1000000/{key}"), dir.Path, options);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal("HTTP/2", result.HttpVersion);
        Assert.All(tls.Protocols, p => Assert.Equal("HTTP/2", p));
        Assert.True(result.Connections > 1, $"connections: {result.Connections}");
        Assert.True(tls.ConnectionsOpened >= result.Connections, $"{result.Connections} connections planned, {tls.ConnectionsOpened} TCP connections opened");
    }

    [Fact]
    public async Task Plain_http_stays_http11_and_says_so()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal("HTTP/1.1", result.HttpVersion);
    }
}
