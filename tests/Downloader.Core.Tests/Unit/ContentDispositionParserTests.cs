using Downloader.Core.Naming;

namespace Downloader.Core.Tests.Unit;

public sealed class ContentDispositionParserTests
{
    [Theory]
    [InlineData("attachment; filename=\"plain.txt\"", "plain.txt")]
    [InlineData("attachment; filename=unquoted.txt", "unquoted.txt")]
    [InlineData("attachment; filename=\"a \\\"quoted\\\" name.txt\"", "a \"quoted\" name.txt")]
    [InlineData("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%E2%82%AC%20rates.txt", "€ rates.txt")]
    [InlineData("attachment; filename*=utf-8'en'na%C3%AFve.txt", "naïve.txt")]
    [InlineData("attachment; FILENAME=\"upper.txt\"", "upper.txt")]
    [InlineData("attachment; filename*=iso-8859-1''caf%E9.txt", "café.txt")]
    [InlineData("inline", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    [InlineData("attachment; filename*=broken", null)]
    public void Parses(string? header, string? expected) => Assert.Equal(expected, ContentDispositionParser.GetFileName(header));
}
