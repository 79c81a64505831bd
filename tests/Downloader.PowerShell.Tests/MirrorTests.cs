using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>Start-Download -Mirror and a Mirrors column, in a real PowerShell 7.6 engine, against two loopback origins.</summary>
[Collection(OriginCollection.Name)]
public sealed class MirrorTests : IAsyncLifetime
{
    private const long Rate = 1_000_000;
    private readonly OriginServer _origin;
    private OriginServer _mirror = null!;

    public MirrorTests(OriginServer origin)
    {
        _origin = origin;
    }

    public Task InitializeAsync()
    {
        _mirror = new OriginServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _mirror.DisposeAsync();

    [Fact]
    public void Mirror_gives_a_result_whose_sources_list_both_with_their_bytes()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _origin.Url($"slow/{Rate}/{key}").AbsoluteUri;
        string mirror = _mirror.Url($"slow/{Rate}/{key}").AbsoluteUri;

        PsResult result = ps.Run(
            "(Start-Download $args[0] -Mirror $args[1] -Destination $args[2] -ConnectionsPerFile 4).Sources | ForEach-Object { '{0} {1} {2}' -f $_.Url, $_.Bytes, $_.Dropped }",
            null, url, mirror, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        string[] lines = result.Values.Cast<string>().ToArray();
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(url + " ", lines[0]);
        Assert.StartsWith(mirror + " ", lines[1]);
        long[] bytes = lines.Select(l => long.Parse(l.Split(' ')[1])).ToArray();
        Assert.All(bytes, b => Assert.True(b > 0, string.Join("\n", lines)));
        Assert.Equal(OriginServer.FileSize, bytes.Sum());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void A_mirrors_column_holds_several_urls_separated_by_semicolons_or_spaces()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string url = _origin.Url($"slow/{Rate}/{key}").AbsoluteUri;
        string cell = _mirror.Url($"slow/{Rate}/{key}").AbsoluteUri + "; " + _mirror.Url($"file/{key}").AbsoluteUri;

        PsResult result = ps.Run(
            "[pscustomobject]@{ Url = $args[0]; Mirrors = $args[1] } | Start-Download -Destination $args[2] | ForEach-Object { $_.Sources.Count }",
            null, url, cell, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(new object[] { 3 }, result.Values);
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File(key)));
    }

    [Fact]
    public void A_bad_mirror_fails_the_item_with_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string url = _origin.Url($"file/{TestData.Key()}").AbsoluteUri;

        PsResult result = ps.Run("Start-Download $args[0] -Mirror 'ftp://mirror.example/a' -Destination $args[1]", null, url, dir.Path);

        Assert.Empty(result.Output);
        ErrorRecordAssert(result, "ftp://mirror.example/a");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static void ErrorRecordAssert(PsResult result, string text)
    {
        Assert.True(result.Errors.Count == 1, result.Describe());
        Assert.Contains(text, result.Errors[0].ToString());
    }
}
