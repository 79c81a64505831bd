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

    [Fact]
    public void A_relative_destination_follows_the_location_as_it_changes_between_records()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key();
        string b = TestData.Key();

        // The destination is resolved once per command while the location stays put; a record after a move of the
        // location must still land where the script stands then.
        const string script = """
            $places = $args[2], $args[3]
            $i = 0
            $args[0], $args[1] |
                ForEach-Object { Set-Location $places[$i++]; $_ } |
                Start-Download -Destination sub
            """;
        PsResult result = ps.Run(script, null, _origin.Url($"file/{a}").AbsoluteUri, _origin.Url($"file/{b}").AbsoluteUri, first.Path, second.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(2, result.Output.Count);
        // Piped URLs make -Destination a folder: 'sub' under each place, each file under its own name.
        Assert.True(File.Exists(Path.Combine(first.Path, "sub", a)), "the first record's file is in 'sub' of the first folder");
        Assert.True(File.Exists(Path.Combine(second.Path, "sub", b)), "the second record's file is in 'sub' of the second folder");
    }
}
