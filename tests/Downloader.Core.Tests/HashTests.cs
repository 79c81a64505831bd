using Downloader.Core.Batch;
using Downloader.Core.Results;
using Downloader.Core.Tests.Server;

namespace Downloader.Core.Tests;

/// <summary>
/// Expected hashes in every algorithm, from the request and from a checksum file, on a ranged download (hashed at the
/// end from the part file), a single stream (hashed on the way) and in memory.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class HashTests
{
    private readonly OriginServer _origin;

    public HashTests(OriginServer origin)
    {
        _origin = origin;
    }

    public static IEnumerable<object[]> EveryAlgorithmOnBothTransfers() =>
        from endpoint in new[] { "file", "norange" }
        from algorithm in TestDigests.Algorithms
        select new object[] { endpoint, algorithm };

    [Theory]
    [MemberData(nameof(EveryAlgorithmOnBothTransfers))]
    public async Task The_right_digest_completes_and_is_reported(string endpoint, string algorithm)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        string expected = TestDigests.Of(algorithm, _origin.Content);

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"{endpoint}/{key}"), dir.Path, expectedHash: $"{algorithm.ToUpperInvariant()}:{expected.ToUpperInvariant()}");

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Equal(expected, result.Hash);
        Assert.Equal(TestDigests.ReportedName(algorithm), result.HashAlgorithm);
        Assert.Equal(algorithm == "sha256" ? expected : null, result.Sha256);
    }

    [Theory]
    [MemberData(nameof(EveryAlgorithmOnBothTransfers))]
    public async Task A_wrong_digest_fails_and_leaves_nothing(string endpoint, string algorithm)
    {
        using var dir = new TempDirectory();
        string wrong = TestDigests.Wrong(TestDigests.Of(algorithm, _origin.Content));

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"{endpoint}/{TestData.Key()}"), dir.Path, expectedHash: $"{algorithm}:{wrong}");

        Assert.Equal(DownloadStatus.Failed, result.Status);
        Assert.Equal(DownloadErrorKind.ChecksumMismatch, result.ErrorKind);
        Assert.Contains(ExpectedHash.Parse($"{algorithm}:{wrong}").ToString().Split(':')[1], result.Error, StringComparison.Ordinal);
        Assert.Contains(TestDigests.Of(algorithm, _origin.Content), result.Error, StringComparison.Ordinal);
        Assert.Empty(dir.Files());
    }

    [Theory]
    [InlineData("sha-512")]
    [InlineData("Sha-1")]
    [InlineData("MD5")]
    public async Task In_memory_checks_the_named_algorithm(string name)
    {
        string algorithm = name.Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        string expected = TestDigests.Of(algorithm, _origin.Content);
        using var client = new DownloadClient(DownloadHarness.FastOptions());

        DownloadResult right = await client.Start(new DownloadRequest(_origin.Url($"file/{TestData.Key()}")) { InMemory = true, ExpectedHash = ExpectedHash.Parse($"{name}:{expected}") }).Completion.WaitAsync(TimeSpan.FromSeconds(60));
        DownloadResult wrong = await client.Start(new DownloadRequest(_origin.Url($"norange/{TestData.Key()}")) { InMemory = true, ExpectedHash = ExpectedHash.Parse($"{name}:{TestDigests.Wrong(expected)}") }).Completion.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(right.Status == DownloadStatus.Completed, right.Error);
        Assert.Equal(expected, right.Hash);
        Assert.Equal(TestDigests.ReportedName(algorithm), right.HashAlgorithm);
        Assert.Null(right.Sha256);
        Assert.Equal(DownloadErrorKind.ChecksumMismatch, wrong.ErrorKind);
        Assert.Null(wrong.Content);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("norange")]
    public async Task Without_an_expected_hash_none_is_computed(string endpoint)
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"{endpoint}/{key}"), dir.Path);

        MisbehavingServerTests.AssertCompleted(result, dir, key, _origin.Content);
        Assert.Null(result.Hash);
        Assert.Null(result.HashAlgorithm);
        Assert.Null(result.Sha256);
    }

    [Theory]
    [InlineData("gnu")]
    [InlineData("bsd")]
    public async Task A_checksum_file_checks_the_items_it_lists_and_no_others(string format)
    {
        using var dir = new TempDirectory();
        string good = TestData.Key(), bad = TestData.Key(), unlisted = TestData.Key(), overridden = TestData.Key();
        string sha512 = TestDigests.Of("sha512", _origin.Content);
        string md5 = TestDigests.Of("md5", _origin.Content);
        string text = format == "gnu"
            ? $"{sha512}  {good}\n{TestDigests.Wrong(md5)} *{bad}\n{TestDigests.Wrong(md5)}  {overridden}\n"
            : $"SHA512 ({good}) = {sha512}\nMD5 ({bad}) = {TestDigests.Wrong(md5)}\nMD5 ({overridden}) = {TestDigests.Wrong(md5)}\n";
        var options = DownloadHarness.FastOptions() with { Checksums = ChecksumFile.Parse(new StringReader(text), "SUMS") };
        using var client = new DownloadClient(options);

        Task<DownloadResult> Run(string key, string? hash = null) =>
            client.Start(new DownloadRequest(_origin.Url($"file/{key}")) { Directory = dir.Path, ExpectedHash = hash == null ? null : ExpectedHash.Parse(hash) })
                .Completion.WaitAsync(TimeSpan.FromSeconds(60));
        DownloadResult listed = await Run(good);
        DownloadResult mismatched = await Run(bad);
        DownloadResult notListed = await Run(unlisted);
        DownloadResult own = await Run(overridden, "md5:" + md5);

        Assert.True(listed.Status == DownloadStatus.Completed, listed.Error);
        Assert.Equal(("SHA512", sha512), (listed.HashAlgorithm, listed.Hash));
        Assert.Equal(DownloadErrorKind.ChecksumMismatch, mismatched.ErrorKind);
        Assert.Contains("MD5", mismatched.Error, StringComparison.Ordinal);
        Assert.True(notListed.Status == DownloadStatus.Completed, notListed.Error);
        Assert.Null(notListed.Hash);
        Assert.True(own.Status == DownloadStatus.Completed, own.Error);
        Assert.Equal(("MD5", md5), (own.HashAlgorithm, own.Hash));
        Assert.Equal(new[] { good, overridden, unlisted }.Order(), dir.Files().Order());
    }

    [Fact]
    public async Task A_file_saved_as_name_1_is_checked_under_the_name_it_was_meant_to_have()
    {
        using var dir = new TempDirectory();
        string key = TestData.Key();
        File.WriteAllText(dir.File(key), "another file already here");
        File.SetLastWriteTimeUtc(dir.File(key), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        string sums = $"{TestDigests.Wrong(TestDigests.Of("sha1", _origin.Content))}  {key}\n";
        var options = DownloadHarness.FastOptions() with { Checksums = ChecksumFile.Parse(new StringReader(sums), "SUMS") };

        DownloadResult result = await DownloadHarness.DownloadAsync(_origin.Url($"file/{key}"), dir.Path, options);

        Assert.Equal(DownloadErrorKind.ChecksumMismatch, result.ErrorKind);
        Assert.Equal(new[] { key }, dir.Files());
    }

    [Fact]
    public async Task A_list_hash_column_takes_any_algorithm_and_a_malformed_one_fails_only_its_line()
    {
        using var dir = new TempDirectory();
        string k = TestData.Key();
        string list = string.Join("\n",
            _origin.Url($"file/{k}-a").AbsoluteUri + "\t\tsha384:" + TestDigests.Of("sha384", _origin.Content),
            _origin.Url($"file/{k}-b").AbsoluteUri + "\t\tmd5:" + TestDigests.Wrong(TestDigests.Of("md5", _origin.Content)),
            _origin.Url($"file/{k}-c").AbsoluteUri + "\t\tsha257:" + TestDigests.Of("sha256", _origin.Content),
            _origin.Url($"file/{k}-d").AbsoluteUri + "\t\tsha1:abc",
            _origin.Url($"file/{k}-e").AbsoluteUri);
        using var client = new DownloadClient(DownloadHarness.FastOptions());
        var results = new List<DownloadResult>();
        using var reader = new StringReader(list);
        await foreach (DownloadResult r in new BatchRunner(client).RunAsync(UrlListReader.ReadAsync(reader, dir.Path)))
        {
            results.Add(r);
        }

        DownloadResult Of(string suffix) => Assert.Single(results, r => r.Input.Contains($"{k}-{suffix}", StringComparison.Ordinal));
        Assert.Equal(("SHA384", DownloadStatus.Completed), (Of("a").HashAlgorithm, Of("a").Status));
        Assert.Equal(DownloadErrorKind.ChecksumMismatch, Of("b").ErrorKind);
        Assert.Equal(DownloadErrorKind.InvalidRequest, Of("c").ErrorKind);
        Assert.Contains("line 3", Of("c").Error, StringComparison.Ordinal);
        Assert.Contains("'sha257' is not a hash algorithm", Of("c").Error, StringComparison.Ordinal);
        Assert.Equal(DownloadErrorKind.InvalidRequest, Of("d").ErrorKind);
        Assert.Contains("line 4", Of("d").Error, StringComparison.Ordinal);
        Assert.Contains("has 3 hex digits, and SHA-1 has 40", Of("d").Error, StringComparison.Ordinal);
        Assert.Equal(DownloadStatus.Completed, Of("e").Status);
        Assert.Equal(new[] { $"{k}-a", $"{k}-e" }, dir.Files().Order());
    }
}
