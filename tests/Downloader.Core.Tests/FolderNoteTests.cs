using System.Runtime.InteropServices;
using Downloader.Core.Storage;

namespace Downloader.Core.Tests;

/// <summary>
/// The folder's note across boots (issue 26): each boot keeps its own line and its own confirmation, so a clean boot's
/// files stay trusted after later boots, and only the files changed after a boot's last confirmation are suspect.
/// Written and read through the real extended attribute of a temporary folder; the boots are ids given by the test.
/// </summary>
public sealed class FolderNoteTests
{
    [SkippableFact]
    public void Each_earlier_boot_is_judged_by_its_own_confirmation()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();

        // Boot A renamed from 1000 and ended a run at 2000; boot B renamed from 5000 and never confirmed; boot C
        // renamed from 9000 and confirmed at 9500.
        Assert.Equal(1000, FolderNote.Ensure(dir.Path, "boot-a", 1000));
        Assert.True(FolderNote.Confirm(dir.Path, "boot-a", 2000));
        Assert.Equal(5000, FolderNote.Ensure(dir.Path, "boot-b", 5000));
        Assert.Equal(9000, FolderNote.Ensure(dir.Path, "boot-c", 9000));
        Assert.True(FolderNote.Confirm(dir.Path, "boot-c", 9500));

        FolderNote now = FolderNote.Read(dir.Path, "boot-now");

        Assert.False(now.EarlierMayBeLost(500, 0), "before any unflushed rename");
        Assert.False(now.EarlierMayBeLost(1500, 0), "boot A, confirmed");
        Assert.True(now.EarlierMayBeLost(2000, 0), "boot A, changed at its confirmation");
        Assert.True(now.EarlierMayBeLost(6000, 0), "boot B, never confirmed");
        Assert.False(now.EarlierMayBeLost(9200, 0), "boot C, confirmed after boot B's loss");
        Assert.True(now.EarlierMayBeLost(9600, 0), "boot C, after its confirmation");
    }

    [SkippableFact]
    public void A_confirmation_only_moves_forward_and_a_line_is_kept_by_a_later_run_of_its_boot()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();

        Assert.False(FolderNote.Confirm(dir.Path, "boot-a", 2000)); // no line of this boot: nothing to confirm
        Assert.Equal(1000, FolderNote.Ensure(dir.Path, "boot-a", 1000));
        Assert.True(FolderNote.Confirm(dir.Path, "boot-a", 3000));
        FolderNote.Confirm(dir.Path, "boot-a", 2000); // an older run ending later: its earlier time does not win
        Assert.Equal(1000, FolderNote.Ensure(dir.Path, "boot-a", 4000)); // a later run of the boot keeps the line

        Assert.Equal(new FolderNote.Line("boot-a", 1000, 3000), FolderNote.Read(dir.Path, "boot-a").ThisBoot);
    }

    [SkippableFact]
    public void Beyond_its_bound_the_note_drops_a_boot_only_by_making_its_files_more_suspect()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();
        for (int boot = 0; boot < 20; boot++)
        {
            FolderNote.Ensure(dir.Path, $"boot-{boot}", 1000 * (boot + 1));
            FolderNote.Confirm(dir.Path, $"boot-{boot}", (1000 * (boot + 1)) + 900);
        }

        FolderNote now = FolderNote.Read(dir.Path, "boot-now");

        Assert.False(now.EarlierMayBeLost(1500, 0), "the oldest boot's confirmed files");
        Assert.False(now.EarlierMayBeLost(20_500, 0), "the newest boot's confirmed files");
        Assert.True(now.EarlierMayBeLost(5500, 0), "a dropped boot's files fall to an older line's confirmation");
    }
}
