using Downloader.Core.Naming;
using Downloader.Core.Probing;
using Downloader.Core.Resume;
using Downloader.Core.Storage;

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
    public void The_first_open_number_steps_over_held_finished_kept_and_partial_numbers_and_stops_at_a_free_one()
    {
        var names = new PathReservations();
        string path = Path.Combine(Path.GetTempPath(), "get");
        Assert.Equal(1, names.FirstOpenSuffix(path));
        Assert.True(names.TryReserve(PathReservations.WithSuffix(path, 1)));
        Assert.True(names.TryReserve(PathReservations.WithSuffix(path, 3)));
        names.Settle(PathReservations.WithSuffix(path, 3));
        Assert.Equal(2, names.FirstOpenSuffix(path));

        Assert.True(names.TryReserve(PathReservations.WithSuffix(path, 2)));
        Assert.Equal(4, names.FirstOpenSuffix(path));
        names.MarkKept(path, 4);
        names.MarkPartial(path, 5);
        Assert.Equal(6, names.FirstOpenSuffix(path));
        Assert.Equal(new[] { 5 }, names.PartialSuffixes(path));
        names.UnmarkPartial(path, 5);
        Assert.Empty(names.PartialSuffixes(path));
        Assert.Equal(1, names.FirstOpenSuffix(Path.Combine(Path.GetTempPath(), "other")));
    }

    [Fact]
    public void A_list_of_urls_that_share_one_name_gets_a_free_name_for_every_item_past_ten_thousand()
    {
        // An API's "export?page=N" names every file "export". Names used to run out at "export (9999)", and each item
        // counted up from "export (1)" again. Here the first item is still running (it holds "export" to the end),
        // and a changed "export (3)" from an earlier run stays on disk: neither may stop the others or be touched.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("export (3)"), "earlier");
        var names = new PathReservations();
        var probe = new ProbeResult { FinalUri = new Uri("http://127.0.0.1/export?page=0"), Length = 10 };
        var seen = new HashSet<string>();
        const int count = 25_000;
        for (int i = 0; i < count; i++)
        {
            var picker = Picker(names, dir.Path, i);
            (string path, bool unchanged, _, _, _) = picker.Resolve(probe);
            Assert.False(unchanged);
            Assert.True(seen.Add(path), $"item {i} was given '{path}', which an earlier item has");
            if (i > 0)
            {
                picker.Settle();
            }
        }

        Assert.DoesNotContain(dir.File("export (3)"), seen);
        Assert.Contains(dir.File($"export ({count})"), seen);
        Assert.Equal("earlier", File.ReadAllText(dir.File("export (3)")));
    }

    [Fact]
    public void An_item_that_comes_late_still_finds_its_own_partial_download_among_numbered_names()
    {
        // After a crash, "export (5)" holds page 7's partial download. Items for other pages look at it first and
        // must leave it, and page 7 must be offered it however many numbers the others have taken since.
        using var dir = new TempDirectory();
        var names = new PathReservations();
        var probe = new ProbeResult { FinalUri = new Uri("http://127.0.0.1/export?page=0"), Length = 10 };
        ResumeStateFile.Save(dir.File("export (5)") + ResumeStateFile.Extension, new ResumeState { Url = Url(7), Length = 10 });

        for (int i = 0; i < 50; i++)
        {
            if (i == 7)
            {
                continue;
            }

            var picker = Picker(names, dir.Path, i);
            Assert.NotEqual(dir.File("export (5)"), picker.Resolve(probe).Path);
            picker.Settle();
        }

        (string path, _, ResumeState? state, _, _) = Picker(names, dir.Path, 7).Resolve(probe);
        Assert.Equal(dir.File("export (5)"), path);
        Assert.Equal(Url(7), state?.Url);
    }

    private static Uri Url(int page) => new($"http://127.0.0.1/export?page={page}");

    private static DestinationPicker Picker(PathReservations names, string directory, int page) =>
        new(names, new DownloadRequest(Url(page)) { Directory = directory }, ExistingFilePolicy.SkipOrRename, new UnflushedFolders());
}
