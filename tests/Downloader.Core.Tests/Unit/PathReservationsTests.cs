using Downloader.Core.Naming;
using Downloader.Core.Probing;

namespace Downloader.Core.Tests.Unit;

public sealed class PathReservationsTests
{
    [Fact]
    public void A_path_is_held_while_running_and_stays_taken_once_settled()
    {
        var names = new PathReservations();
        string path = Path.Combine(Path.GetTempPath(), "a.bin");

        Assert.True(names.TryReserve(path));
        Assert.False(names.TryReserve(path));

        names.Settle(path);
        Assert.False(names.TryReserve(path));
        names.Release(path);
        Assert.False(names.TryReserve(path));
    }

    [Fact]
    public void A_released_path_is_free_again_and_others_are_unaffected()
    {
        var names = new PathReservations();
        string a = Path.Combine(Path.GetTempPath(), "a.bin");
        string b = Path.Combine(Path.GetTempPath(), "b.bin");
        Assert.True(names.TryReserve(a));
        Assert.True(names.TryReserve(b));
        names.Settle(b);

        names.Release(a);

        Assert.True(names.TryReserve(a));
        Assert.False(names.TryReserve(b));
        Assert.True(names.TryReserve(PathReservations.WithSuffix(b, 1)));
    }

    [Fact]
    public void The_first_unsettled_suffix_skips_finished_names_but_not_running_ones()
    {
        var names = new PathReservations();
        string path = Path.Combine(Path.GetTempPath(), "get");
        Assert.Equal(0, names.FirstUnsettledSuffix(path));
        for (int n = 0; n < 3; n++)
        {
            Assert.True(names.TryReserve(PathReservations.WithSuffix(path, n)));
        }

        names.Settle(PathReservations.WithSuffix(path, 0));
        names.Settle(PathReservations.WithSuffix(path, 2));
        Assert.Equal(1, names.FirstUnsettledSuffix(path));

        names.Settle(PathReservations.WithSuffix(path, 1));
        Assert.Equal(3, names.FirstUnsettledSuffix(path));
        Assert.Equal(0, names.FirstUnsettledSuffix(Path.Combine(Path.GetTempPath(), "other")));
    }

    [Fact]
    public void A_list_of_urls_that_share_one_name_gets_a_free_name_for_every_item_past_ten_thousand()
    {
        // An API's "export?page=N" names every file "export". Names used to run out at "export (9999)", and each item
        // counted up from "export (1)" again.
        using var dir = new TempDirectory();
        var names = new PathReservations();
        var probe = new ProbeResult { FinalUri = new Uri("http://127.0.0.1/export?page=0"), Length = 10 };
        var seen = new HashSet<string>();
        const int count = 25_000;
        for (int i = 0; i < count; i++)
        {
            var request = new DownloadRequest(new Uri($"http://127.0.0.1/export?page={i}")) { Directory = dir.Path };
            var picker = new DestinationPicker(names, request, ExistingFilePolicy.SkipOrRename);
            (string path, bool unchanged, _, _) = picker.Resolve(probe);
            Assert.False(unchanged);
            Assert.True(seen.Add(path), $"item {i} was given '{path}', which an earlier item has");
            picker.Settle();
        }

        Assert.Contains(Path.Combine(dir.Path, $"export ({count - 1})"), seen);
    }
}
