using System.Runtime.InteropServices;
using Downloader.Core.Tests;
using Downloader.Core.Tests.Server;

namespace Downloader.PowerShell.Tests;

/// <summary>
/// Start-Download's durability in the module as in the CLI (issue 26): by default the folder notes the boot and the
/// run's end confirms its files on disk in that note; with -Durable each file is flushed before its rename, so the
/// folder takes no note at all. Read from the folder's real extended attribute after a hosted Start-Download.
/// </summary>
[Collection(OriginCollection.Name)]
public sealed class DurableTests
{
    private readonly OriginServer _origin;

    public DurableTests(OriginServer origin)
    {
        _origin = origin;
    }

    [SkippableFact]
    public void By_default_the_run_end_confirms_its_files_in_the_folder_note_and_Durable_flushes_them_instead()
    {
        Skip.IfNot(RuntimeInformation.IsOSPlatform(OSPlatform.Linux), "the note is a Linux extended attribute");
        using var dir = new TempDirectory();
        using var ps = new PsSession();
        string key = TestData.Key();
        string a = _origin.Url($"file/{key}-a").AbsoluteUri;
        string b = _origin.Url($"file/{key}-b").AbsoluteUri;
        string plain = Path.Combine(dir.Path, "plain");
        string durable = Path.Combine(dir.Path, "durable");
        Directory.CreateDirectory(plain);
        Directory.CreateDirectory(durable);

        PsResult first = ps.Run("$args[0], $args[1] | Start-Download -Destination $args[2]", null, a, b, plain);
        PsResult second = ps.Run("$args[0], $args[1] | Start-Download -Destination $args[2] -Durable", null, a, b, durable);

        Assert.True(first.Errors.Count == 0 && first.Terminating == null, first.Describe());
        Assert.True(second.Errors.Count == 0 && second.Terminating == null, second.Describe());
        string[] line = (FolderNoteAttribute.Read(plain) ?? "").TrimEnd('\n').Split(' ');
        Assert.True(line.Length == 3 && line[0] == FolderNoteAttribute.BootId, $"no confirmed line of this boot: '{string.Join(' ', line)}'");
        Assert.Null(FolderNoteAttribute.Read(durable));
        Assert.Equal(2, Directory.GetFiles(durable).Length);
    }
}
