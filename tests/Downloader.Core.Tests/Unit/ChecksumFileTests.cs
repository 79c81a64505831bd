using Downloader.Core.Batch;

namespace Downloader.Core.Tests.Unit;

public sealed class ChecksumFileTests
{
    private static readonly string Md5 = new('1', 32), Sha1 = new('2', 40), Sha256 = new('3', 64), Sha384 = new('4', 96), Sha512 = new('5', 128);

    [Fact]
    public void Gnu_lines_tell_the_algorithm_by_the_digest_length()
    {
        ChecksumFile file = Parse(
            "# made by sha256sum and friends",
            $"{Md5}  a.bin",
            $"{Sha1} *b.bin",
            string.Empty,
            $"{Sha256}  ./c d.iso",
            $"{Sha384.ToUpperInvariant()}  e.tar",
            $"{Sha512}  f.zip\r",
            $"\\{Sha256}  back\\\\slash\\nnewline");

        Assert.Equal(6, file.Count);
        Assert.Equal("md5:" + Md5, file.Find("a.bin")!.ToString());
        Assert.Equal("sha1:" + Sha1, file.Find("b.bin")!.ToString());
        Assert.Equal("sha256:" + Sha256, file.Find("c d.iso")!.ToString());
        Assert.Equal("sha384:" + Sha384, file.Find("e.tar")!.ToString());
        Assert.Equal("sha512:" + Sha512, file.Find("f.zip")!.ToString());
        Assert.Equal("sha256:" + Sha256, file.Find("back\\slash\nnewline")!.ToString());
        Assert.Null(file.Find("A.BIN"));
        Assert.Null(file.Find("missing"));
    }

    [Fact]
    public void Bsd_lines_name_the_algorithm()
    {
        ChecksumFile file = Parse(
            $"SHA256 (a.bin) = {Sha256}",
            $"SHA512 (b (1).bin) = {Sha512}",
            $"SHA384 (c.bin) = {Sha384}",
            $"SHA1 (d.bin) = {Sha1}",
            $"MD5 (e.bin) = {Md5}",
            $"SHA256(f.bin)= {Sha256}");

        Assert.Equal("sha256:" + Sha256, file.Find("a.bin")!.ToString());
        Assert.Equal("sha512:" + Sha512, file.Find("b (1).bin")!.ToString());
        Assert.Equal("sha384:" + Sha384, file.Find("c.bin")!.ToString());
        Assert.Equal("sha1:" + Sha1, file.Find("d.bin")!.ToString());
        Assert.Equal("md5:" + Md5, file.Find("e.bin")!.ToString());
        Assert.Equal("sha256:" + Sha256, file.Find("f.bin")!.ToString());
    }

    [Theory]
    [InlineData("just some words", "not a checksum line")]
    [InlineData("0123456789  a.bin", "a digest of 10 hex digits is none of")]
    [InlineData("CRC32 (a.bin) = 01234567", "'CRC32' is not a hash algorithm")]
    [InlineData("SHA256 (a.bin) = 0123", "it has 4 hex digits, and SHA-256 has 64")]
    public void A_line_that_is_neither_format_names_the_file_and_the_line(string bad, string message)
    {
        FormatException e = Assert.Throws<FormatException>(() => Parse($"{Sha256}  fine.bin", "# comment", bad));

        Assert.StartsWith("checksum file 'SUMS', line 3: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_listed_twice_with_different_digests_is_an_error()
    {
        FormatException e = Assert.Throws<FormatException>(() => Parse($"{Sha256}  a.bin", $"{new string('9', 64)}  a.bin"));

        Assert.Contains("line 2: 'a.bin' is listed again with another SHA-256", e.Message, StringComparison.Ordinal);
    }

    private static ChecksumFile Parse(params string[] lines) => ChecksumFile.Parse(new StringReader(string.Join("\n", lines)), "SUMS");
}
