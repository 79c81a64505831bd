using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>Every connection checks segments out of the map the same way; the one made from the probe's handover reads on from its body.</summary>
[Collection(OriginCollection.Name)]
public sealed class ConnectionTests
{
    private readonly OriginServer _origin;

    public ConnectionTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public async Task The_probes_body_serves_byte_0_so_no_later_request_asks_for_it_again()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path, DownloadHarness.FastOptions(4));

        Assert.Equal(DownloadStatus.Completed, result.Status);
        Assert.True(result.Connections > 1, $"{result.Connections} connection(s)");
        Assert.Equal(_origin.Content, File.ReadAllBytes(dir.File(key)));
        string log = _origin.RequestLog($"/file/{key}");
        string[] fromZero = log.Split('\n').Where(r => r.Length == 0 || r.StartsWith("bytes=0-", StringComparison.Ordinal) || r.StartsWith(" ->", StringComparison.Ordinal)).ToArray();
        Assert.True(fromZero.Length == 1, "byte 0 was asked for more than once:\n" + log);
    }
}
