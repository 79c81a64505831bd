using Downloader.Core.Formatting;

namespace Downloader.Core.Tests.Unit;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("500", 500)]
    [InlineData("64K", 64 * 1024)]
    [InlineData("10M", 10 * 1024 * 1024)]
    [InlineData("1.5G", 1536L * 1024 * 1024)]
    [InlineData("2MiB", 2 * 1024 * 1024)]
    [InlineData(" 3 kb ", 3 * 1024)]
    public void Parses(string text, long expected) => Assert.Equal(expected, ByteSize.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("fast")]
    [InlineData("-1M")]
    [InlineData("10X")]
    public void Rejects(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.50 KiB")]
    [InlineData(10 * 1024 * 1024, "10.0 MiB")]
    [InlineData(300L * 1024 * 1024 * 1024, "300 GiB")]
    [InlineData(-1, "-")]
    public void Formats(long bytes, string expected) => Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void Formats_durations()
    {
        Assert.Equal("1:05", ByteSize.FormatDuration(TimeSpan.FromSeconds(65)));
        Assert.Equal("2:00:01", ByteSize.FormatDuration(TimeSpan.FromSeconds(7201)));
        Assert.Equal("-", ByteSize.FormatDuration(null));
        Assert.Equal("1.00 MiB/s", ByteSize.FormatSpeed(1024 * 1024));
    }
}
