using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>Start-Download -Hash (and the Hash/Sha256 properties of piped objects) and -ChecksumFile, in a real engine.</summary>
[Collection(OriginCollection.Name)]
public sealed class StartDownloadHashTests
{
    private readonly OriginServer _origin;

    public StartDownloadHashTests(OriginServer origin)
    {
        _origin = origin;
    }

    [Fact]
    public void Hash_takes_any_algorithm_Sha256_still_works_and_a_malformed_hash_fails_only_its_item()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string a = TestData.Key(), b = TestData.Key(), c = TestData.Key(), d = TestData.Key(), e = TestData.Key();
        const string script = """
            $one = Start-Download $args[0] -Destination $args[5] -Hash $args[6]
            $two = Start-Download $args[1] -Destination $args[5] -Sha256 $args[7]
            $rows = @(
                [pscustomobject]@{ Url = $args[2]; Hash = $args[8] }
                [pscustomobject]@{ Url = $args[3]; Sha256 = $args[9] }
                [pscustomobject]@{ Url = $args[4]; Hash = 'sha257:abcd' }
            ) | Start-Download -Destination $args[5]
            $one, $two, $rows
            """;

        PsResult result = ps.Run(
            script,
            null,
            _origin.Url($"file/{a}").AbsoluteUri, _origin.Url($"norange/{b}").AbsoluteUri, _origin.Url($"file/{c}").AbsoluteUri,
            _origin.Url($"file/{d}").AbsoluteUri, _origin.Url($"file/{e}").AbsoluteUri, dir.Path,
            "SHA512:" + TestDigests.Of("sha512", _origin.Content), TestData.Sha256(_origin.Content),
            "md5:" + TestDigests.Wrong(TestDigests.Of("md5", _origin.Content)), TestData.Sha256(_origin.Content));

        Assert.True(result.Terminating == null && result.Output.Count == 3, result.Describe() + "\n" + string.Join("\n", result.Values));
        Assert.Equal(("SHA512", TestDigests.Of("sha512", _origin.Content), null), (result.Property(0, "HashAlgorithm"), result.Property(0, "Hash"), result.Property(0, "Sha256")));
        Assert.Equal(("SHA256", TestData.Sha256(_origin.Content)), (result.Property(1, "HashAlgorithm"), result.Property(1, "Sha256")));
        Assert.Equal(("SHA256", TestData.Sha256(_origin.Content)), (result.Property(2, "HashAlgorithm"), result.Property(2, "Hash")));
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, r => r.FullyQualifiedErrorId.StartsWith("Downloader.ChecksumMismatch", StringComparison.Ordinal) && r.ToString().Contains(c, StringComparison.Ordinal));
        Assert.Contains(result.Errors, r => r.FullyQualifiedErrorId.StartsWith("Downloader.InvalidRequest", StringComparison.Ordinal)
            && r.ToString().Contains(e, StringComparison.Ordinal) && r.ToString().Contains("'sha257' is not a hash algorithm", StringComparison.Ordinal));
        Assert.Equal(new[] { a, b, d }.Order(), dir.Files());
        Assert.Equal(0, _origin.Hits($"/file/{e}"));
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("bsd")]
    public void ChecksumFile_checks_the_items_it_lists(string format)
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string good = TestData.Key(), bad = TestData.Key(), unlisted = TestData.Key();
        string sha1 = TestDigests.Of("sha1", _origin.Content);
        string md5 = TestDigests.Wrong(TestDigests.Of("md5", _origin.Content));
        string sums = Path.Combine(dir.Path, "SHA256SUMS");
        File.WriteAllText(sums, format == "gnu" ? $"{sha1} *{good}\n{md5}  {bad}\n" : $"SHA1 ({good}) = {sha1}\nMD5 ({bad}) = {md5}\n");
        const string script = """
            $args[0], $args[1], $args[2] | Start-Download -Destination $args[3] -ChecksumFile $args[4]
            """;

        PsResult result = ps.Run(script, null, _origin.Url($"file/{good}").AbsoluteUri, _origin.Url($"norange/{bad}").AbsoluteUri, _origin.Url($"file/{unlisted}").AbsoluteUri, dir.Path, sums);

        Assert.Null(result.Terminating);
        ErrorRecordAssert(result, bad);
        Assert.Equal(2, result.Output.Count);
        int listed = result.Property(0, "Name") as string == good ? 0 : 1;
        Assert.Equal(("SHA1", sha1), (result.Property(listed, "HashAlgorithm"), result.Property(listed, "Hash")));
        Assert.Null(result.Property(1 - listed, "Hash"));
        Assert.Equal(new[] { good, unlisted, "SHA256SUMS" }.Order(), dir.Files());
    }

    [Fact]
    public void A_damaged_ChecksumFile_stops_the_command_before_any_download()
    {
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string sums = Path.Combine(dir.Path, "SUMS");
        File.WriteAllText(sums, $"{TestData.Sha256(_origin.Content)}  {key}\n\nSHA256 ({key}) = 12345\n");

        PsResult result = ps.Run("Start-Download $args[0] -Destination $args[1] -ChecksumFile $args[2]", null, _origin.Url($"file/{key}").AbsoluteUri, dir.Path, sums);

        // A statement-terminating error, as any cmdlet's ThrowTerminatingError: the script could go on, the command did not.
        System.Management.Automation.ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("Downloader.ChecksumFile", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains($"checksum file '{sums}', line 3: '12345' is not a SHA-256 digest", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Equal(0, _origin.Hits($"/file/{key}"));
        Assert.Equal(new[] { "SUMS" }, dir.Files());
    }

    private static void ErrorRecordAssert(PsResult result, string failedKey)
    {
        System.Management.Automation.ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("Downloader.ChecksumMismatch", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains(failedKey, error.ToString(), StringComparison.Ordinal);
    }
}
