using Downloader.Core.Planning;

namespace Downloader.Core.Tests.Unit;

public sealed class RangeSetTests
{
    [Fact]
    public void Adjacent_and_overlapping_ranges_merge()
    {
        var set = new RangeSet(new[] { new ByteRange(10, 20), new ByteRange(0, 10), new ByteRange(15, 30), new ByteRange(40, 50) });

        Assert.Equal(new[] { new ByteRange(0, 30), new ByteRange(40, 50) }, set.Ranges);
        Assert.Equal(40, set.TotalLength);
    }

    [Fact]
    public void Complement_lists_the_gaps()
    {
        var set = new RangeSet(new[] { new ByteRange(10, 20), new ByteRange(40, 50) });

        Assert.Equal(new[] { new ByteRange(0, 10), new ByteRange(20, 40), new ByteRange(50, 60) }, set.Complement(60));
        Assert.Empty(new RangeSet(new[] { new ByteRange(0, 60) }).Complement(60));
    }

    [Fact]
    public void Contiguous_from_an_offset()
    {
        var set = new RangeSet(new[] { new ByteRange(0, 100), new ByteRange(200, 300) });

        Assert.Equal(100, set.ContiguousFrom(0));
        Assert.Equal(50, set.ContiguousFrom(250));
        Assert.Equal(0, set.ContiguousFrom(150));
        Assert.True(set.Covers(new ByteRange(210, 290)));
        Assert.False(set.Covers(new ByteRange(90, 210)));
    }
}
