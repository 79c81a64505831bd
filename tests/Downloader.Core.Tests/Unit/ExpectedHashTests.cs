namespace Downloader.Core.Tests.Unit;

public sealed class ExpectedHashTests
{
    [Theory]
    [InlineData("sha256", 64)]
    [InlineData("SHA-512", 128)]
    [InlineData("Sha384", 96)]
    [InlineData("sha-1", 40)]
    [InlineData("md5", 32)]
    public void Algorithm_names_are_case_insensitive_with_or_without_a_dash(string name, int digits)
    {
        string hex = new('A', digits);

        ExpectedHash hash = ExpectedHash.Parse($" {name}:{hex} ");

        Assert.Equal(name.Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), hash.Algorithm.Name);
        Assert.Equal(new string('a', digits), hash.Hex);
        Assert.True(hash.Matches(hex));
    }

    [Fact]
    public void Plain_64_hex_digits_stay_SHA_256()
    {
        ExpectedHash hash = ExpectedHash.Parse(new string('F', 64));

        Assert.Equal("SHA256", hash.Algorithm.Name);
        Assert.Equal("sha256:" + new string('f', 64), hash.ToString());
    }

    [Theory]
    [InlineData("sha257:abcd", "'sha257' is not a hash algorithm; use sha256, sha512, sha384, sha1 or md5")]
    [InlineData("crc32:abcd", "'crc32' is not a hash algorithm")]
    [InlineData("md5:0123", "it has 4 hex digits, and MD5 has 32")]
    [InlineData("sha1:", "is not a SHA-1 digest: it must be hex digits")]
    [InlineData("sha256:zz", "is not a SHA-256 digest: it must be hex digits")]
    [InlineData("0123456789abcdef0123456789abcdef", "give ALGORITHM:HEX")]
    [InlineData("not a hash", "'not a hash' is not a hash")]
    public void A_malformed_value_says_what_is_wrong(string text, string message)
    {
        Assert.False(ExpectedHash.TryParse(text, out ExpectedHash? hash, out string? error));
        Assert.Null(hash);
        Assert.Contains(message, error, StringComparison.Ordinal);
        FormatException thrown = Assert.Throws<FormatException>(() => ExpectedHash.Parse(text));
        Assert.Equal(error, thrown.Message);
    }
}
