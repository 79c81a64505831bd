using Downloader.Core.Transfer;

namespace Downloader.Core.Tests.Unit;

public sealed class RequestSizerTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_fast_request_at_most_doubles_the_next_one()
    {
        var sizer = new RequestSizer(new DownloadOptions());
        Assert.Equal(4 * MiB, sizer.NextSize);

        // 4 MiB in 10 ms: a second at that speed would be 400 MiB, but a burst says little about the rest.
        sizer.End(4 * MiB, TimeSpan.FromMilliseconds(10));
        Assert.Equal(8 * MiB, sizer.NextSize);
        sizer.End(8 * MiB, TimeSpan.FromMilliseconds(10));
        Assert.Equal(16 * MiB, sizer.NextSize);
    }

    [Fact]
    public void A_slow_request_shrinks_the_next_to_about_a_second_at_once()
    {
        var sizer = new RequestSizer(new DownloadOptions());

        sizer.End(4 * MiB, TimeSpan.FromSeconds(4));

        Assert.Equal(1 * MiB, sizer.NextSize);
    }

    [Fact]
    public void Sizes_stay_between_the_floor_and_the_largest_request()
    {
        var sizer = new RequestSizer(new DownloadOptions { MaxRequestSize = 6 * MiB });
        for (int i = 0; i < 5; i++)
        {
            sizer.End(sizer.NextSize, TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(6 * MiB, sizer.NextSize);

        sizer.End(1000, TimeSpan.FromSeconds(10));
        Assert.Equal(256 * 1024, sizer.NextSize);
    }
}
