using Downloader.Core.Sessions;

namespace Downloader.Core.Tests.Unit;

public sealed class RecentItemsTests
{
    [Fact]
    public void Keeps_the_newest_and_hands_back_what_it_pushes_out()
    {
        var recent = new RecentItems<string>(2);

        Assert.Null(recent.Add("a"));
        Assert.Null(recent.Add("b"));
        Assert.Equal("a", recent.Add("c"));

        Assert.Equal(new[] { "b", "c" }, recent.Snapshot());
    }

    [Fact]
    public void Adding_again_moves_an_item_to_the_newest_end_and_removing_forgets_it()
    {
        var recent = new RecentItems<string>(3);
        recent.Add("a");
        recent.Add("b");

        recent.Add("a");
        Assert.Equal(new[] { "b", "a" }, recent.Snapshot());

        Assert.True(recent.Remove("b"));
        Assert.False(recent.Remove("b"));
        Assert.Equal(new[] { "a" }, recent.Snapshot());
    }
}
