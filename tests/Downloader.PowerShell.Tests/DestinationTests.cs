using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>What -Destination names: a folder for a list, a file only for one URL.</summary>
[Collection(OriginCollection.Name)]
public sealed class DestinationTests
{
    private readonly OriginServer _origin;

    public DestinationTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void A_list_into_a_destination_that_does_not_exist_yet_creates_that_folder_and_keeps_each_file_name()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string[] keys = { TestData.Key(), TestData.Key(), TestData.Key() };
        File.WriteAllLines(dir.File("urls.txt"), keys.Select(k => _origin.Url($"file/{k}").AbsoluteUri));

        PsResult result = ps.Run("""
            $piped = [IO.Path]::Combine($args[1], 'piped')
            $several = [IO.Path]::Combine($args[1], 'several')
            Get-Content $args[0] | Start-Download -Threads 4 -Destination $piped | ForEach-Object { $_.Path }
            Start-Download (Get-Content $args[0]) -Destination $several | ForEach-Object { $_.Path }
            """, null, dir.File("urls.txt"), dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Empty(result.Warnings);
        foreach (string folder in new[] { "piped", "several" })
        {
            string path = dir.File(folder);
            Assert.True(Directory.Exists(path), $"'{folder}' should be a folder holding the list's files; it is {(File.Exists(path) ? "a file" : "missing")}");
            Assert.Equal(keys.Order(), Directory.GetFiles(path).Select(Path.GetFileName).Order());
            Assert.All(Directory.GetFiles(path), f => Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(f)));
        }

        Assert.Equal(6, result.Values.Length);
        Assert.Equal(new[] { "urls.txt" }, Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)));
    }

    [Fact]
    public void One_url_on_the_command_line_or_one_record_with_its_own_destination_names_a_file()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();

        PsResult result = ps.Run("""
            Start-Download $args[0] -Destination ([IO.Path]::Combine($args[2], 'one.bin')) | ForEach-Object { $_.Path }
            [pscustomobject]@{ Url = $args[1]; OutFile = ([IO.Path]::Combine($args[2], 'row.bin')) } | Start-Download | ForEach-Object { $_.Path }
            """, null, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, _origin.Url($"file/{TestData.Key()}").AbsoluteUri, dir.Path);

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        Assert.Equal(new[] { dir.File("one.bin"), dir.File("row.bin") }, result.Values.Cast<string>());
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("one.bin")));
        Assert.Equal(TestData.Sha256(_origin.Content), TestData.Sha256OfFile(dir.File("row.bin")));
    }

    [Fact]
    public void One_piped_url_into_a_missing_path_that_looks_like_a_file_name_warns_once_that_it_became_a_folder()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();

        PsResult result = ps.Run("$args[0] | Start-Download -Destination $args[1]", null, _origin.Url($"file/{key}").AbsoluteUri, dir.File("out.zip"));

        Assert.True(result.Errors.Count == 0 && result.Terminating == null, result.Describe());
        string warning = Assert.Single(result.Warnings);
        Assert.Contains("out.zip", warning);
        Assert.Contains("-Uri", warning);
        Assert.True(File.Exists(Path.Combine(dir.File("out.zip"), key)));
    }

    [Fact]
    public void A_list_into_a_path_that_is_a_file_fails_each_item_naming_the_path_and_leaves_the_file_alone()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        File.WriteAllText(dir.File("taken"), "mine");
        string[] urls = { _origin.Url($"file/{TestData.Key()}").AbsoluteUri, _origin.Url($"file/{TestData.Key()}").AbsoluteUri };

        PsResult result = ps.Run("$args[0] | Start-Download -Destination $args[1]", null, urls, dir.File("taken"));

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains(dir.File("taken"), e.Exception.Message));
        Assert.Equal("mine", File.ReadAllText(dir.File("taken")));
        Assert.Equal(new[] { dir.File("taken") }, Directory.GetFileSystemEntries(dir.Path));
    }
}
