namespace Downloader.Core.Tests.Unit;

/// <summary>One rule for connections, whichever front end asks.</summary>
public sealed class ConnectionPolicyTests
{
    [Theory]
    // perFile, total, perHost, single → file, run, host
    [InlineData(null, null, null, true, 8, 8, 16)]
    [InlineData(null, null, null, false, 8, 8, 16)]
    [InlineData(32, null, null, true, 32, 32, 32)]
    [InlineData(32, null, null, false, 32, 8, 32)]
    [InlineData(4, 10, null, false, 4, 10, 16)]
    [InlineData(8, 40, null, false, 8, 40, 40)]
    [InlineData(32, null, 4, true, 32, 32, 4)]
    public void Connections_follow_one_rule(int? perFile, int? total, int? perHost, bool single, int file, int run, int host)
    {
        DownloadOptions options = ConnectionPolicy.Apply(new DownloadOptions { UserAgent = "kept" }, perFile, total, perHost, single);

        Assert.Equal(file, options.MaxConnectionsPerFile);
        Assert.Equal(run, options.TotalConnections);
        Assert.Equal(host, options.MaxConnectionsPerHost);
        Assert.Equal("kept", options.UserAgent);
    }

    [Fact]
    public void A_count_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConnectionPolicy.Apply(new DownloadOptions(), 0, null, null, true));
    }
}
