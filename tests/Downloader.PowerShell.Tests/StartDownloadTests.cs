using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>Start-Download in the foreground, as the README shows it, in a real PowerShell 7.6 engine.</summary>
[Collection(OriginCollection.Name)]
public sealed class StartDownloadTests
{
    private readonly OriginServer _origin;

    public StartDownloadTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void A_url_downloads_to_the_destination_and_writes_one_item()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1]", null, _origin.Url($"file/{key}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Single(result.Output);
        Assert.Equal(dir.File(key), result.Property(0, "Path"));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }
}
