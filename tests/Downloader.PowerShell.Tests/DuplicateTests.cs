using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>The same URL twice in one Start-Download: fetched once, the second record skipped naming the first.</summary>
[Collection(OriginCollection.Name)]
public sealed class DuplicateTests
{
    private readonly OriginServer _origin;

    public DuplicateTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void A_url_piped_twice_is_downloaded_once_and_the_second_record_names_the_first()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string a = _origin.Url($"file/{key}").AbsoluteUri;
        string b = _origin.Url($"file/{key}-b").AbsoluteUri;

        PsResult result = ps.Run("$args[0], $args[1], $args[0] | Start-Download -Destination $args[2]", null, a, b, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(3, result.Output.Count);
        var skipped = Enumerable.Range(0, 3).Where(i => (string?)result.Property(i, "Status") == "Skipped").ToArray();
        Assert.Single(skipped);
        Assert.Equal("duplicate of record 1", result.Property(skipped[0], "Reason"));
        Assert.Equal(new[] { key, key + "-b" }, Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order());
        Assert.Equal(_origin.Content.Length, _origin.BodyBytesSentFor($"file/{key}"));
    }
}
